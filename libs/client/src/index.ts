export * from './http';
export * from './session';
export * from './verification';
export * from './survey';
