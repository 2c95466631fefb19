/**
 * Which Kubernetes versions serve an API version of the built-in kinds that
 * definitions choose between by `context.clusterVersion` (the kinds whose API
 * moved, from the Kubernetes deprecation guide). An object of an API version
 * the target cluster does not serve is what kubectl calls "no matches for
 * kind": caught here before anything is written. Kinds not listed are not
 * judged (a custom resource's API is the cluster's business).
 */
import type { ClusterVersion } from './render-app.js';

interface Served {
  /** The first minor version of Kubernetes 1.x that serves it. */
  readonly since?: number;
  /** The first minor version that no longer does. */
  readonly removedIn?: number;
}

const SERVED: Record<string, Served> = {
  'batch/v1/CronJob': { since: 21 },
  'batch/v1beta1/CronJob': { removedIn: 25 },
  'autoscaling/v2/HorizontalPodAutoscaler': { since: 23 },
  'autoscaling/v2beta1/HorizontalPodAutoscaler': { removedIn: 25 },
  'autoscaling/v2beta2/HorizontalPodAutoscaler': { since: 12, removedIn: 26 },
  'networking.k8s.io/v1/Ingress': { since: 19 },
  'networking.k8s.io/v1/IngressClass': { since: 19 },
  'networking.k8s.io/v1beta1/Ingress': { since: 14, removedIn: 22 },
  'networking.k8s.io/v1beta1/IngressClass': { since: 18, removedIn: 22 },
  'extensions/v1beta1/Ingress': { removedIn: 22 },
  'policy/v1/PodDisruptionBudget': { since: 21 },
  'policy/v1beta1/PodDisruptionBudget': { removedIn: 25 },
  'policy/v1beta1/PodSecurityPolicy': { removedIn: 25 },
  'discovery.k8s.io/v1/EndpointSlice': { since: 21 },
  'rbac.authorization.k8s.io/v1beta1/Role': { removedIn: 22 },
  'rbac.authorization.k8s.io/v1beta1/RoleBinding': { removedIn: 22 },
  'rbac.authorization.k8s.io/v1beta1/ClusterRole': { removedIn: 22 },
  'rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding': { removedIn: 22 },
  'apiextensions.k8s.io/v1beta1/CustomResourceDefinition': { removedIn: 22 },
  'scheduling.k8s.io/v1beta1/PriorityClass': { removedIn: 22 },
  'storage.k8s.io/v1beta1/CSIDriver': { removedIn: 22 },
  'coordination.k8s.io/v1beta1/Lease': { removedIn: 22 },
  'extensions/v1beta1/Deployment': { removedIn: 16 },
  'extensions/v1beta1/DaemonSet': { removedIn: 16 },
  'extensions/v1beta1/ReplicaSet': { removedIn: 16 },
  'apps/v1beta1/Deployment': { removedIn: 16 },
  'apps/v1beta2/Deployment': { removedIn: 16 },
  'apps/v1beta1/StatefulSet': { removedIn: 16 },
  'apps/v1beta2/StatefulSet': { removedIn: 16 },
  'apps/v1beta2/DaemonSet': { removedIn: 16 },
};

/** Why a cluster of this version would not know the object's kind, or undefined when it would (or is not judged). */
export function unservedApiProblem(apiVersion: string, kind: string, version: ClusterVersion): string | undefined {
  const served = SERVED[`${apiVersion}/${kind}`];
  if (!served || version.major !== 1) return undefined;
  const at = `Kubernetes ${version.major}.${version.minor}`;
  if (served.since !== undefined && version.minor < served.since) return `${apiVersion} ${kind} is not served by ${at} (it is from 1.${served.since} on)`;
  if (served.removedIn !== undefined && version.minor >= served.removedIn) return `${apiVersion} ${kind} is not served by ${at} (it was removed in 1.${served.removedIn})`;
  return undefined;
}
