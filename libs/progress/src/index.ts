export * from './percent';
export * from './report';
export * from './survey';
export * from './curriculum';
export * from './pulse';
