import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryMessage } from '@hookstream/contracts';
import { jsonbParam, preparedStatement, queryPrepared } from '@hookstream/db';
import type { DataSource, EntityManager } from 'typeorm';

/** One planned attempt of an ordered delivery that wants to go out. */
export interface ClaimRequest {
  delivery_id: string;
  generation: number;
  attempt: number;
  /** The subscription's on_dead_letter is `skip`: a dead entry before it does not hold it. */
  skip_dead: boolean;
}

/** What became of an ordered delivery's attempt, for its entry. */
export interface OrderedSettlement {
  delivery_id: string;
  subscription_id: string;
  ordering_key: string;
  generation: number;
  attempt: number;
  result: 'delivered' | 'dead' | 'failing' | 'postponed';
  skip_dead: boolean;
}

/** A key's head, released: its delivery message goes (again) to hookstream.deliveries. */
export interface ReleasedHead {
  message: DeliveryMessage;
  traceparent: string | null;
}

/**
 * Claims the head for the planned attempts given ($1), for owner $2. An entry is claimed when:
 * - it is waiting (or dead and replayed in a later generation) and nothing before it in its key
 *   is unsettled: the key's head;
 * - it is sending and this attempt comes after the claimed one (the next retry);
 * - it is sending, this is the claimed attempt, and its claimer let it go (a postponement) or is
 *   this process or is dead (its heartbeat row expired): the attempt was never recorded.
 * The row lock decides between dispatchers racing for one head: the second re-reads the row
 * the first committed and no longer matches. Answers which of the asked entries exist and which
 * were claimed; a delivery without an entry is not held by ordering (settled and deleted, or
 * fanned out before its subscription ordered).
 */
const CLAIM = preparedStatement(
  'ordered_claim',
  `WITH req AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(delivery_id uuid, generation int, attempt int, skip_dead boolean)
   ), claimed AS (
     UPDATE ordered_entries e
        SET state = 'sending', claim_generation = r.generation, claim_attempt = r.attempt, claim_owner = $2::text, updated_at = now()
       FROM req r
      WHERE e.delivery_id = r.delivery_id
        AND (
          (
            (e.state = 'waiting' OR (e.state = 'dead' AND (r.generation, r.attempt) > (e.claim_generation, e.claim_attempt)))
            AND NOT EXISTS (
              SELECT 1 FROM ordered_entries p
               WHERE p.subscription_id = e.subscription_id AND p.ordering_key = e.ordering_key AND p.position < e.position
                 AND (p.state <> 'dead' OR NOT r.skip_dead))
          )
          OR (e.state = 'sending' AND (r.generation, r.attempt) > (e.claim_generation, e.claim_attempt))
          OR (e.state = 'sending' AND (r.generation, r.attempt) = (e.claim_generation, e.claim_attempt)
              AND (e.claim_owner IS NULL OR e.claim_owner = $2::text
                   OR NOT EXISTS (SELECT 1 FROM dispatcher_owners o WHERE o.owner = e.claim_owner AND o.expires_at > now())))
        )
     RETURNING e.delivery_id
   )
   SELECT e.delivery_id, EXISTS (SELECT 1 FROM claimed c WHERE c.delivery_id = e.delivery_id) AS claimed
     FROM ordered_entries e
    WHERE e.delivery_id IN (SELECT delivery_id FROM req)`,
);

/**
 * Settles entries ($1): a delivered one is deleted (nothing later needs it); a dead one stays,
 * to block its key (on_dead_letter `block`) or to be replayed; a retry or a postponement lets go
 * of the claim, so whoever receives the next message of that attempt may make it.
 */
const SETTLE = preparedStatement(
  'ordered_settle',
  `WITH s AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(delivery_id uuid, generation int, attempt int, result text)
   ), delivered AS (
     DELETE FROM ordered_entries e USING s WHERE e.delivery_id = s.delivery_id AND s.result = 'delivered'
   ), dead AS (
     UPDATE ordered_entries e SET state = 'dead', claim_owner = NULL, updated_at = now()
       FROM s
      WHERE e.delivery_id = s.delivery_id AND s.result = 'dead' AND e.state = 'sending'
        AND (e.claim_generation, e.claim_attempt) <= (s.generation, s.attempt)
   )
   UPDATE ordered_entries e SET claim_owner = NULL, updated_at = now()
     FROM s
    WHERE e.delivery_id = s.delivery_id AND s.result IN ('failing', 'postponed') AND e.state = 'sending'
      AND (e.claim_generation, e.claim_attempt) = (s.generation, s.attempt)`,
);

/**
 * The heads of the keys given ($1) that are waiting, marked released: their messages are
 * produced once the transaction commits (and again by the sweep, should that produce be lost).
 */
const RELEASE = preparedStatement(
  'ordered_release',
  `WITH k AS (
     SELECT DISTINCT * FROM jsonb_to_recordset($1::jsonb) AS k(subscription_id uuid, ordering_key text, skip_dead boolean)
   ), heads AS (
     SELECT h.delivery_id FROM k CROSS JOIN LATERAL (
       SELECT e.delivery_id, e.state FROM ordered_entries e
        WHERE e.subscription_id = k.subscription_id AND e.ordering_key = k.ordering_key
          AND NOT (e.state = 'dead' AND k.skip_dead)
        ORDER BY e.position LIMIT 1
     ) h
     WHERE h.state = 'waiting'
   ), released AS (
     UPDATE ordered_entries e SET released_at = now() FROM heads h WHERE e.delivery_id = h.delivery_id
     RETURNING e.delivery_id, e.message, e.traceparent
   )
   SELECT r.message, r.traceparent, d.generation, d.attempts
     FROM released r JOIN deliveries d ON d.id = r.delivery_id`,
);

/**
 * What the release sweep produces again ($1 ms since last produced, at most $2, $3: the
 * subscriptions whose dead letters block, $4: paused subscriptions, left alone): waiting heads,
 * and claimed attempts whose claimer died before recording them (as that attempt, so the
 * duplicate check sees what it is).
 */
const SWEEP = preparedStatement(
  'ordered_sweep',
  `WITH due AS (
     SELECT e.delivery_id FROM ordered_entries e
      WHERE COALESCE(e.released_at, e.created_at) < now() - make_interval(secs => $1::int / 1000.0)
        AND e.subscription_id <> ALL($4::uuid[])
        AND (
          (e.state = 'waiting' AND NOT EXISTS (
             SELECT 1 FROM ordered_entries p
              WHERE p.subscription_id = e.subscription_id AND p.ordering_key = e.ordering_key AND p.position < e.position
                AND (p.state <> 'dead' OR p.subscription_id = ANY($3::uuid[]))))
          OR (e.state = 'sending' AND e.claim_owner IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM dispatcher_owners o WHERE o.owner = e.claim_owner AND o.expires_at > now()))
        )
      ORDER BY COALESCE(e.released_at, e.created_at)
      LIMIT $2
      FOR UPDATE SKIP LOCKED
   ), swept AS (
     UPDATE ordered_entries e SET released_at = now() FROM due WHERE e.delivery_id = due.delivery_id
     RETURNING e.delivery_id, e.state, e.claim_generation, e.claim_attempt, e.message, e.traceparent
   )
   SELECT s.state, s.claim_generation, s.claim_attempt, s.message, s.traceparent, d.generation, d.attempts
     FROM swept s JOIN deliveries d ON d.id = s.delivery_id`,
);

/**
 * Sets claimed or waiting entries of a paused subscription ($1) back to waiting, unless a live
 * dispatcher other than $2 holds their attempt: the release sweep sends them, in order, once the
 * subscription is enabled again.
 */
const PARK = preparedStatement(
  'ordered_park',
  `WITH parked AS (
     UPDATE ordered_entries e SET state = 'waiting', claim_owner = NULL, released_at = now(), updated_at = now()
      WHERE e.delivery_id = ANY($1::uuid[])
        AND (e.state = 'waiting'
             OR (e.state = 'sending' AND (e.claim_owner IS NULL OR e.claim_owner = $2::text
                 OR NOT EXISTS (SELECT 1 FROM dispatcher_owners o WHERE o.owner = e.claim_owner AND o.expires_at > now()))))
     RETURNING 1
   )
   SELECT count(*)::int AS n FROM parked`,
);

/**
 * Lets go of the claims ($1: delivery, generation, attempt) owner $2 holds on attempts it hands
 * back unstarted at shutdown, so whoever consumes them next may claim them at once rather than
 * after this process's heartbeat row expires.
 */
const LET_GO = preparedStatement(
  'ordered_let_go',
  `WITH k AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(delivery_id uuid, generation int, attempt int)
   ), freed AS (
     UPDATE ordered_entries e SET claim_owner = NULL, updated_at = now()
       FROM k
      WHERE e.delivery_id = k.delivery_id AND e.state = 'sending' AND e.claim_owner = $2::text
        AND (e.claim_generation, e.claim_attempt) = (k.generation, k.attempt)
     RETURNING 1
   )
   SELECT count(*)::int AS n FROM freed`,
);

interface HeadRow {
  state: string;
  claim_generation: number | null;
  claim_attempt: number | null;
  message: DeliveryMessage;
  traceparent: string | null;
  generation: number;
  attempts: number;
}

/**
 * The message that makes a head's next attempt: the claimed attempt of an abandoned claim (the
 * duplicate check drops it if it was recorded after all), else the attempt after the delivery's
 * last recorded one (the first, for a head never sent; the next, for one a pause set back).
 */
function headMessage(r: HeadRow): DeliveryMessage {
  if (r.state === 'sending' && r.claim_generation !== null && r.claim_attempt !== null) return { ...r.message, generation: r.claim_generation, attempt: r.claim_attempt };
  return { ...r.message, generation: r.generation, attempt: r.attempts + 1 };
}

/** ordered_entries (docs/adr/0009): each ordered delivery's place in its key, and who may send it. */
@Injectable()
export class OrderedEntriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Claims what it can; answers the ids that may be sent (claimed, or not held by ordering at all). */
  async claim(requests: readonly ClaimRequest[], owner: string): Promise<Set<string>> {
    if (requests.length === 0) return new Set();
    const sorted = [...requests].sort((a, b) => (a.delivery_id < b.delivery_id ? -1 : 1));
    const rows = await queryPrepared<{ delivery_id: string; claimed: boolean }[]>(this.db, CLAIM, [jsonbParam(sorted), owner]);
    const held = new Set(rows.filter((r) => !r.claimed).map((r) => r.delivery_id));
    return new Set(requests.filter((r) => !held.has(r.delivery_id)).map((r) => r.delivery_id));
  }

  /** Settles entries and releases the heads their keys move on to, inside the caller's transaction. */
  async settle(em: EntityManager, settlements: readonly OrderedSettlement[]): Promise<ReleasedHead[]> {
    if (settlements.length === 0) return [];
    const sorted = [...settlements].sort((a, b) => (a.delivery_id < b.delivery_id ? -1 : 1));
    await queryPrepared<unknown>(em, SETTLE, [jsonbParam(sorted.map(({ delivery_id, generation, attempt, result }) => ({ delivery_id, generation, attempt, result })))]);
    const moved = sorted.filter((s) => s.result === 'delivered' || s.result === 'dead');
    if (moved.length === 0) return [];
    const keys = moved.map(({ subscription_id, ordering_key, skip_dead }) => ({ subscription_id, ordering_key, skip_dead }));
    const rows = await queryPrepared<HeadRow[]>(em, RELEASE, [jsonbParam(keys)]);
    return rows.map((r) => ({ message: headMessage({ ...r, state: 'waiting' }), traceparent: r.traceparent }));
  }

  /** Lets go of this owner's claims on attempts it hands back unstarted (LET_GO). */
  async letGo(attempts: readonly { delivery_id: string; generation: number; attempt: number }[], owner: string): Promise<void> {
    if (attempts.length === 0) return;
    const sorted = [...attempts].sort((a, b) => (a.delivery_id < b.delivery_id ? -1 : 1)).map(({ delivery_id, generation, attempt }) => ({ delivery_id, generation, attempt }));
    await queryPrepared<unknown>(this.db, LET_GO, [jsonbParam(sorted), owner]);
  }

  /** Sets the entries of a paused subscription's attempts back to waiting (PARK); answers how many. */
  async park(deliveryIds: readonly string[], owner: string): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const rows = await queryPrepared<{ n: number }[]>(this.db, PARK, [deliveryIds, owner]);
    return rows[0]?.n ?? 0;
  }

  /** Marks a page of heads (and abandoned claims) released and answers the messages to produce for them. */
  async sweep(olderThanMs: number, limit: number, blocking: readonly string[], paused: readonly string[] = []): Promise<ReleasedHead[]> {
    const rows = await queryPrepared<HeadRow[]>(this.db, SWEEP, [olderThanMs, limit, blocking, paused]);
    return rows.map((r) => ({ message: headMessage(r), traceparent: r.traceparent }));
  }
}
