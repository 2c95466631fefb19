/** What `vela __complete KIND` lists; its own module so commands and scripts name the kinds without loading the pipeline. */
export const completionKinds = ['definitions', 'components', 'traits', 'services', 'apps'] as const;
export type CompletionKind = (typeof completionKinds)[number];
