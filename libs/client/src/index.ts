export * from './http';
export * from './session';
export * from './verification';
