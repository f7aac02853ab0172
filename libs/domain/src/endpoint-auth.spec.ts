import { describe, expect, it } from '@jest/globals';
import { basicAuthorization, DEFAULT_TOKEN_LIFETIME_SECONDS, parseTokenAnswer, tokenRequest } from './endpoint-auth.js';

describe('parseTokenAnswer', () => {
  const now = 1_000_000;

  it('takes a bearer token and keeps it until a minute before it expires', () => {
    expect(parseTokenAnswer(200, '{"access_token":"abc","token_type":"Bearer","expires_in":3600}', now)).toEqual({ ok: true, accessToken: 'abc', expiresAt: now + 3540_000 });
  });

  it('keeps a short-lived token until a tenth of its life before it ends', () => {
    expect(parseTokenAnswer(200, '{"access_token":"abc","token_type":"bearer","expires_in":10}', now)).toEqual({ ok: true, accessToken: 'abc', expiresAt: now + 9_000 });
  });

  it('uses a token without expires_in for five minutes, and caps absurd lifetimes at a day', () => {
    const lifetime = DEFAULT_TOKEN_LIFETIME_SECONDS;
    expect(parseTokenAnswer(200, '{"access_token":"abc"}', now)).toMatchObject({ expiresAt: now + (lifetime - Math.min(60, lifetime / 10)) * 1000 });
    expect(parseTokenAnswer(200, '{"access_token":"abc","expires_in":1e12}', now)).toMatchObject({ expiresAt: now + (86_400 - 60) * 1000 });
    expect(parseTokenAnswer(200, '{"access_token":"abc","expires_in":"120"}', now)).toMatchObject({ expiresAt: now + 108_000 });
  });

  it.each([
    [401, '{"error":"invalid_client","error_description":"bad secret"}', 'the token URL answered 401: invalid_client (bad secret)'],
    [503, 'down', 'the token URL answered 503'],
    [200, 'not json', 'the token URL answered 200 without a JSON object'],
    [200, '[]', 'the token URL answered 200 without a JSON object'],
    [200, '{"access_token":""}', 'the token URL answered no usable access_token'],
    [200, '{"access_token":"has space"}', 'the token URL answered no usable access_token'],
    [200, '{"access_token":"line\\nbreak"}', 'the token URL answered no usable access_token'],
    [200, '{"access_token":"abc","token_type":"mac"}', 'the token URL answered a mac token; only bearer tokens are sent'],
  ])('refuses %s %s', (status, body, message) => {
    expect(parseTokenAnswer(status, body, now)).toEqual({ ok: false, message });
  });
});

describe('tokenRequest', () => {
  const base = { type: 'oauth2_client_credentials' as const, token_url: 'https://auth.example/token', client_id: 'id:1', client_secret: 's&cret', client_auth: 'basic' as const };

  it('authenticates with Basic of the form-encoded id and secret (RFC 6749 §2.3.1)', () => {
    const r = tokenRequest({ ...base, scope: 'a b' });
    expect(r.body).toBe('grant_type=client_credentials&scope=a+b');
    expect(r.headers['authorization']).toBe(basicAuthorization('id%3A1', 's%26cret'));
  });

  it('puts the id and secret in the form when asked, with the audience', () => {
    const r = tokenRequest({ ...base, client_auth: 'body', audience: 'https://api.example/' });
    expect(r.headers['authorization']).toBeUndefined();
    expect(new URLSearchParams(r.body).get('client_secret')).toBe('s&cret');
    expect(new URLSearchParams(r.body).get('audience')).toBe('https://api.example/');
  });
});
