export * from './processes';
export * from './link-proxy';
export * from './system';
export * from './cloud-client';
export * from './wait';
export * from './log-lines';
