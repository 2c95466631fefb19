/**
 * Talking to one Kubernetes API server, in layers: a transport (one HTTP
 * request, credentials from @kubernetes/client-node), a requester (JSON, the
 * retry policy, API errors parsed from `Status`), discovery (cached per
 * cluster), and the object API on top (KubeClient).
 */
export { KubeClient, type ClientOptions, type ApplyRequestOptions, type DeleteRequestOptions, type ListOptions, type WaitForOptions, type WatchOptions, type WriteOptions } from './kube-client.js';
export { watchLoop, isExpired, type WatchCallback, type WatchChange, type WatchEventType, type WatchLoopOptions, type WatchSource } from './watch.js';
export { Discovery, DiscoveryCache, UnknownKindError, type ResourceInfo, type ServerVersion } from './discovery.js';
export { Requester, type RequestStats, type RequestOptions, type RequesterOptions, type PendingRequest } from './requester.js';
export { defaultRetryPolicy, isRetryable, retryDelay, type RetryPolicy } from './retry-policy.js';
export { httpsTransport, type Transport, type TransportOptions, type HttpRequest, type HttpResponse, type HttpStream } from './transport.js';
export { ApiError, parseStatus, describeConflict, fromClientNodeError, transportFailure, formatSeconds, type StatusCause, type StatusDetails } from './api-error.js';
export { refOf, describeRef, apiPathOf, splitApiVersion, type KubeObject, type ObjectRef } from './kube-object.js';
