import { describe, expect, it } from '@jest/globals';
import { checkFilters, localToIso, replayFilterOf } from './filters.ts';

describe('list filters', () => {
  it('turns the form into the API query, dropping what is empty', () => {
    expect(checkFilters({ status: 'dead', event_type: ' order.* ', subscription_id: '3B6A5CD5-3750-5C3C-A02A-0FBC129A759F', status_code: '', tenant_id: 'acme_eu-1' })).toEqual({
      ok: true,
      query: { status: 'dead', event_type: 'order.*', subscription_id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f', tenant_id: 'acme_eu-1' },
    });
  });

  it('names the field of each bad value, as the API would', () => {
    const cases: [Parameters<typeof checkFilters>[0], string][] = [
      [{ status: 'lost' }, 'status'],
      [{ subscription_id: 'not-a-uuid' }, 'subscription_id'],
      [{ status_code: '2147483648' }, 'status_code'],
      [{ status_code: '099' }, 'status_code'],
      [{ status_code: '600' }, 'status_code'],
      [{ event_type: 'order\u0000placed' }, 'event_type'],
      [{ event_type: 'x'.repeat(201) }, 'event_type'],
      [{ error_class: 'Timeout!' }, 'error_class'],
      [{ tenant_id: '-leading-dash' }, 'tenant_id'],
      [{ tenant_id: 'a'.repeat(65) }, 'tenant_id'],
      [{ since: '0000-01-01T00:00' }, 'since'],
      [{ until: '10000-01-01T00:00' }, 'until'],
      [{ since: 'yesterday' }, 'since'],
      [{ since: '2026-12-07T10:00', until: '2026-12-07T09:00' }, 'until'],
    ];
    for (const [filters, field] of cases) expect({ filters, result: checkFilters(filters) }).toEqual({ filters, result: expect.objectContaining({ ok: false, field }) });
  });

  it('reads the browser\'s local date-time as that instant in UTC', () => {
    const iso = localToIso('2026-12-07T10:30');
    expect(iso).toBe(new Date(2026, 11, 7, 10, 30).toISOString());
    expect(localToIso('2026-02-30T10:30')).not.toBeNull(); // the browser's own input never offers it; Date rolls it over
    expect(localToIso('2026-12-07')).toBeNull();
  });

  it('turns the dead-letter list\'s filters into a replay job\'s, and nothing else of the URL', () => {
    expect(replayFilterOf({ event_type: 'order.*', status_code: '503', error_class: 'http_status', since: '2026-12-07T08:00:00.000Z', after: 'cursor', tenant_id: 'x' })).toEqual({ event_type: 'order.*', status_code: 503, error_class: 'http_status', since: '2026-12-07T08:00:00.000Z' });
    expect(replayFilterOf({})).toEqual({});
  });
});
