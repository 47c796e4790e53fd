const express = require('express');
const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.post('/api/orders', (req, res) => res.status(201).end());
