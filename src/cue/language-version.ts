/**
 * The version of the CUE language whose semantics this engine follows
 * (cue-lang/cue's `LanguageVersion()`); the corpus under test/cue/corpus is
 * checked against that release. A light module of its own so that `vela
 * version` reports it without loading the engine.
 */
export const CUE_LANGUAGE_VERSION = 'v0.18.0';
