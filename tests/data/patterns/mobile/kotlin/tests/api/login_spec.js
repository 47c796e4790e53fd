// An API test script beside the app (a `tests/` directory): test sources, skipped by default.
const request = require('supertest');

describe('login', () => {
  it('accepts a password', async () => {
    await request(app).post('/test/login').send({ password: 'x' });
  });
});
