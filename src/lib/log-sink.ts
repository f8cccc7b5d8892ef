// The little of a logger the helpers here write to; the service's logger (observability) fits it.
export interface LogSink {
  warn(message: string, meta?: object): void;
  error(message: string, meta?: object): void;
}
