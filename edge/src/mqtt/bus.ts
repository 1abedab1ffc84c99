/**
 * Handles one device message. Settles once everything the message caused is committed; the device
 * (or the external broker) hears "received" only then. A rejection means "not stored": no ack.
 */
export type MessageHandler = (topic: string, payload: Buffer) => Promise<unknown> | void;

/** How the edge talks to devices, whichever broker carries the messages. */
export interface DeviceBus {
  /** URL devices connect to */
  readonly url: string;
  /** Delivers every message on the filters to `onMessage` and acknowledges it after the handler settled. */
  subscribe(filters: string[], onMessage: MessageHandler): Promise<void>;
  publish(topic: string, payload: string, opts?: { retain?: boolean; qos?: 0 | 1 }): void;
  close(): Promise<void>;
}
