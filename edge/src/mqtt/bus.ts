/** How the edge talks to devices, whichever broker carries the messages. */
export interface DeviceBus {
  /** URL devices connect to */
  readonly url: string;
  /**
   * Delivers every message on the filters to `onMessage`, which runs synchronously before the
   * message is acknowledged (so an event is in the outbox before its sender hears "received").
   */
  subscribe(filters: string[], onMessage: (topic: string, payload: Buffer) => void): Promise<void>;
  publish(topic: string, payload: string, opts?: { retain?: boolean; qos?: 0 | 1 }): void;
  close(): Promise<void>;
}
