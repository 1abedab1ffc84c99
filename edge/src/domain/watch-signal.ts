/** What a detection tells the gateway: the cause of an alarm started (`raise`) or went away (`clear`). */
export interface WatchSignal {
  phase: 'raise' | 'clear';
  /** the zone or device the alarm is about */
  subject: string;
  /** when the cause started (raise) or ended (clear) */
  at: number;
  message: string;
}
