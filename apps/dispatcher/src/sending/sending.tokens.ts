export const HTTP_SENDER = Symbol('HTTP_SENDER');
