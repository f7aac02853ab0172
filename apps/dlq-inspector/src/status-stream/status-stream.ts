import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { DeliveryStatusMessage } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { APP_CONFIG, Metrics } from '@hookstream/platform';
import type { Request, Response } from 'express';
import type { InspectorConfig } from '../config.js';

interface Watcher {
  /** null: an admin watching every tenant. */
  tenantId: string | null;
  subscriptionId: string | null;
  res: Response;
}

/** A client this far behind (bytes queued on its socket) is dropped rather than buffered for. */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * The Server-Sent Events side of GET /v1/deliveries/stream: every outcome this replica consumes
 * from hookstream.delivery-status goes to the watchers allowed to see it (their tenant, and their
 * subscription when they named one). A comment line every STATUS_STREAM_HEARTBEAT_MS keeps proxies
 * from closing an idle stream; on shutdown every stream is ended cleanly so clients reconnect
 * to another replica.
 */
@Injectable()
export class StatusStream implements BeforeApplicationShutdown {
  private readonly watchers = new Set<Watcher>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly connected;
  private readonly relayed;

  constructor(
    @Inject(APP_CONFIG) private readonly config: InspectorConfig,
    metrics: Metrics,
  ) {
    this.connected = metrics.gauge('hookstream_status_stream_clients', 'Clients connected to the live delivery status stream');
    this.relayed = metrics.counter('hookstream_status_stream_events_total', 'Delivery outcomes written to live status streams');
    this.heartbeat = setInterval(() => this.beat(), config.STATUS_STREAM_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attach(req: Request, res: Response, scope: { tenantId: string | null; subscriptionId: string | null }): void {
    if (this.watchers.size >= this.config.STATUS_STREAM_MAX_CLIENTS) {
      throw new DomainError('unavailable', 'too many live status streams on this replica; try again shortly');
    }
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const watcher: Watcher = { ...scope, res };
    this.watchers.add(watcher);
    this.connected.set(this.watchers.size);
    res.write(`retry: 2000\n: connected\n\n`);
    req.on('close', () => this.detach(watcher));
  }

  publish(statuses: readonly DeliveryStatusMessage[]): void {
    if (this.watchers.size === 0) return;
    for (const s of statuses) {
      let frame: string | null = null;
      for (const w of this.watchers) {
        if (w.tenantId !== null && w.tenantId !== s.tenant_id) continue;
        if (w.subscriptionId !== null && w.subscriptionId !== s.subscription_id) continue;
        frame ??= `id: ${s.delivery_id}.${s.attempt}\ndata: ${JSON.stringify(s)}\n\n`;
        this.send(w, frame);
        this.relayed.inc();
      }
    }
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    this.connected.set(0);
  }

  private beat(): void {
    for (const w of this.watchers) this.send(w, `: heartbeat ${new Date().toISOString()}\n\n`);
  }

  private send(w: Watcher, frame: string): void {
    if (w.res.writableLength > MAX_QUEUED_BYTES) {
      w.res.destroy();
      this.detach(w);
      return;
    }
    w.res.write(frame);
  }

  private detach(w: Watcher): void {
    if (this.watchers.delete(w)) this.connected.set(this.watchers.size);
  }
}
