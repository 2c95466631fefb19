/** The labels the renderer puts on every object, which day-2 commands read back (KubeVela's names). */
export const ComponentLabel = 'app.oam.dev/component';
export const WorkloadTypeLabel = 'workload.oam.dev/type';
export const TraitTypeLabel = 'trait.oam.dev/type';
