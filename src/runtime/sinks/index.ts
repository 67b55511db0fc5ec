/**
 * Sinks and sources of draw messages: every consumer of a run (a callback,
 * a `for await` loop, a file or a pipe, another thread) is a {@link Sink},
 * and {@link pipe} hands a run to any number of them.
 * @module
 */
export { type Sink, SinkError, type SinkErrorHandler, guard, warnSinkError } from "./sink.ts";
export { callbackSink } from "./callback.ts";
export { type AsyncIterableSink, type AsyncIterableSinkOptions, asyncIterableSink } from "./asyncIterable.ts";
export { type BadMessageHandler, type SourceOptions, warnBadMessage } from "./badMessage.ts";
export { type NodeStreamSinkOptions, type NodeStreamSourceOptions, nodeStreamSink, nodeStreamSource } from "./nodeStream.ts";
export {
  type Envelope,
  type MessagePortSinkOptions,
  type MessagePortSourceOptions,
  type PortLike,
  messagePortSink,
  messagePortSource,
} from "./messagePort.ts";
export { type SinkErrorOptions, tee } from "./tee.ts";
export { type PipeOptions, type PipeResult, pipe } from "./pipe.ts";
