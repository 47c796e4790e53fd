// DuckDB ASOF JOIN: each API call to the latest UI event of its session at or before it.
import { DuckDBInstance } from '@duckdb/node-api';
const [ui, api, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (
  SELECT a.eventId AS api_id, u.eventId AS ui_id, a.sessionId AS session,
         a.timestamp - u.timestamp AS delta_ms, a.method, a.url, a.statusCode AS status
  FROM read_json('${api}', format='newline_delimited') a
  ASOF LEFT JOIN read_json('${ui}', format='newline_delimited') u
    ON a.sessionId = u.sessionId AND a.timestamp >= u.timestamp
) TO '${out}' (FORMAT json)`);
