export * from './opening-hours';
export * from './scenario';
export * from './policy-body';
export * from './policy-diff';
export * from './policy-templates';
