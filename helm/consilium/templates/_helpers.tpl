{{/*
Names, labels and the pieces of configuration that several templates share.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "consilium.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name that prefixes every resource: fullnameOverride, else "<release>-<name>", or just the
release name when it already contains the chart name. Truncated to 63 characters (DNS label limit).
*/}}
{{- define "consilium.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "consilium.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "consilium.labels" -}}
helm.sh/chart: {{ include "consilium.chart" . | quote }}
{{ include "consilium.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/part-of: "consilium"
{{- end }}

{{/* Labels that identify the release; each component adds app.kubernetes.io/component. */}}
{{- define "consilium.selectorLabels" -}}
app.kubernetes.io/name: {{ include "consilium.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end }}

{{/* Selector labels of the router pods. */}}
{{- define "consilium.router.selectorLabels" -}}
{{ include "consilium.selectorLabels" . }}
app.kubernetes.io/component: "router"
{{- end }}

{{/* Selector labels of the bundled Redis pod. */}}
{{- define "consilium.redis.selectorLabels" -}}
{{ include "consilium.selectorLabels" . }}
app.kubernetes.io/component: "redis"
{{- end }}

{{/*
Selector labels of one local expert server. Call with (dict "root" $ "expert" $entry).
*/}}
{{- define "consilium.localExpert.selectorLabels" -}}
{{ include "consilium.selectorLabels" .root }}
app.kubernetes.io/component: "expert"
consilium.io/expert: {{ .expert.name | quote }}
{{- end }}

{{/* Resource name of one local expert server. Call with (dict "root" $ "expert" $entry). */}}
{{- define "consilium.localExpert.fullname" -}}
{{- printf "%s-expert-%s" (include "consilium.fullname" .root | trunc 40 | trimSuffix "-") .expert.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name of the bundled Redis. */}}
{{- define "consilium.redis.fullname" -}}
{{- printf "%s-redis" (include "consilium.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "consilium.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "consilium.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The service image. */}}
{{- define "consilium.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/* "true" when a Redis (external or bundled) holds the shared state. */}}
{{- define "consilium.redis.enabled" -}}
{{- if ne .Values.redis.mode "none" }}true{{- end }}
{{- end }}

{{/* The Redis URL the router uses. */}}
{{- define "consilium.redis.url" -}}
{{- if eq .Values.redis.mode "bundled" }}
{{- printf "redis://%s.%s.svc:6379" (include "consilium.redis.fullname" .) .Release.Namespace }}
{{- else }}
{{- required "redis.external.url is required when redis.mode is external (redis://host:6379)" .Values.redis.external.url }}
{{- end }}
{{- end }}

{{/* Name of the Secret the chart creates for the secrets given as values. */}}
{{- define "consilium.secretName" -}}
{{- include "consilium.fullname" . }}
{{- end }}

{{/* Name of the ConfigMap holding the router's application.yaml. */}}
{{- define "consilium.configMapName" -}}
{{- include "consilium.fullname" . }}
{{- end }}

{{/*
Name of the environment variable that carries one expert's api-key, from its id:
EXPERT_API_KEY_ followed by the id upper-cased, other characters than letters and digits as "_".
*/}}
{{- define "consilium.expertKeyEnv" -}}
{{- printf "EXPERT_API_KEY_%s" (regexReplaceAll "[^A-Za-z0-9]" . "_" | upper) }}
{{- end }}

{{/* Key of one expert's api-key in the chart's Secret. */}}
{{- define "consilium.expertSecretKey" -}}
{{- printf "expert-%s-api-key" . }}
{{- end }}

{{/* The served definition of one local expert. Call with (dict "root" $ "expert" $entry). */}}
{{- define "consilium.localExpert.served" -}}
{{- $spec := deepCopy (default (dict) .expert.expert) }}
{{- $mountPath := (default (dict) .expert.model).mountPath | default "/models" }}
{{- $_ := set $spec "id" (default .expert.name $spec.id) }}
{{- $_ := set $spec "provider" (default "onnx" $spec.provider) }}
{{- if and (eq $spec.provider "onnx") (not (hasKey $spec "model-path")) }}
{{- $_ := set $spec "model-path" $mountPath }}
{{- end }}
{{- toYaml (list $spec) }}
{{- end }}

{{/*
The router's start-up experts: the `experts` values with api-keys replaced by ${ENV} references, then
one openai-provider entry per local expert server. Rendered as a YAML list (empty when there are none).
*/}}
{{- define "consilium.routerExperts" -}}
{{- $entries := list }}
{{- range $i, $e := .Values.experts }}
{{- if not $e.id }}
{{- fail (printf "experts[%d] needs an id" $i) }}
{{- end }}
{{- if or (hasKey $e "api-key") (hasKey $e "api_key") }}
{{- fail (printf "experts[%d] (id '%s'): do not put api-key in values, it would land in a ConfigMap; use apiKey (stored in the chart's Secret) or apiKeySecret {name, key}" $i $e.id) }}
{{- end }}
{{- $entry := omit $e "apiKey" "apiKeySecret" }}
{{- if or $e.apiKey $e.apiKeySecret }}
{{- $_ := set $entry "api-key" (printf "${%s}" (include "consilium.expertKeyEnv" $e.id)) }}
{{- end }}
{{- $entries = append $entries $entry }}
{{- end }}
{{- range $local := .Values.localExperts }}
{{- $ctx := dict "root" $ "expert" $local }}
{{- $served := index (fromYamlArray (include "consilium.localExpert.served" $ctx)) 0 }}
{{- $entry := dict "id" $local.name "provider" "openai" "model" $served.id }}
{{- $_ := set $entry "base-url" (printf "http://%s.%s.svc:%v/v1" (include "consilium.localExpert.fullname" $ctx) $.Release.Namespace $.Values.localExpertDefaults.port) }}
{{- range $field := list "roles" "skills" "limits" "modalities" "enabled" }}
{{- if hasKey $served $field }}
{{- $_ := set $entry $field (get $served $field) }}
{{- end }}
{{- end }}
{{- $entry = mustMergeOverwrite $entry (deepCopy (default (dict) $local.router)) }}
{{- $entries = append $entries $entry }}
{{- end }}
{{- toYaml $entries }}
{{- end }}

{{/*
The router's application.yaml: the `config` values overlaid with the settings the chart manages.
*/}}
{{- define "consilium.routerConfig" -}}
{{- $config := deepCopy (default (dict) .Values.config) }}
{{- $consilium := default (dict) $config.consilium }}
{{- $auth := default (dict) $consilium.auth }}
{{- $security := default (dict) $consilium.security }}
{{- $redis := default (dict) $consilium.redis }}
{{- if or (hasKey $auth "admin-key") (hasKey $auth "adminKey") }}
{{- fail "config.consilium.auth.admin-key would land in a ConfigMap; set auth.adminKey or auth.existingSecret instead" }}
{{- end }}
{{- if or (hasKey $security "master-key") (hasKey $security "masterKey") }}
{{- fail "config.consilium.security.master-key would land in a ConfigMap; set security.masterKey or security.existingSecret instead" }}
{{- end }}
{{- if hasKey $redis "password" }}
{{- fail "config.consilium.redis.password would land in a ConfigMap; set redis.password or redis.existingSecret instead" }}
{{- end }}
{{- if hasKey $consilium "experts" }}
{{- fail "config.consilium.experts is managed by the chart; use the experts and localExperts values" }}
{{- end }}
{{- $managed := dict "server" (dict "port" .Values.containerPort) }}
{{- $_ := set $managed "spring" (dict "lifecycle" (dict "timeout-per-shutdown-phase" .Values.shutdownTimeout)) }}
{{- $c := dict "store" (ternary "redis" "memory" (eq (include "consilium.redis.enabled" .) "true")) }}
{{- $_ := set $c "auth" (dict "anonymous" .Values.auth.anonymous) }}
{{- with .Values.cache }}
{{- $cache := dict "mode" .mode "similarity-threshold" .similarityThreshold "ttl" .ttl "max-entries" .maxEntries "max-per-partition" .maxPerPartition }}
{{- if .store }}
{{- $_ := set $cache "store" .store }}
{{- end }}
{{- $_ := set $c "cache" $cache }}
{{- end }}
{{- if include "consilium.redis.enabled" . }}
{{- $r := dict "url" (include "consilium.redis.url" .) }}
{{- if and (eq .Values.redis.mode "external") .Values.redis.external.username }}
{{- $_ := set $r "username" .Values.redis.external.username }}
{{- end }}
{{- $_ := set $c "redis" $r }}
{{- end }}
{{- if .Values.synthesisPrompt }}
{{- $_ := set $c "profiling" (dict "synthesis-prompt-file" "/etc/consilium/config/synthesis-prompt.txt") }}
{{- end }}
{{- if .Values.taxonomy.skills }}
{{- $_ := set $c "taxonomy-file" "/etc/consilium/config/taxonomy.yaml" }}
{{- end }}
{{- $experts := fromYamlArray (include "consilium.routerExperts" .) }}
{{- if $experts }}
{{- $_ := set $c "experts" $experts }}
{{- end }}
{{- $_ := set $managed "consilium" $c }}
{{- toYaml (mustMergeOverwrite $config $managed) }}
{{- end }}

{{/* "true" when the chart's Secret has something to hold. */}}
{{- define "consilium.secret.needed" -}}
{{- $needed := or (and .Values.auth.adminKey (not .Values.auth.existingSecret)) (and .Values.security.masterKey (not .Values.security.existingSecret)) (and .Values.redis.password (not .Values.redis.existingSecret) (ne .Values.redis.mode "none")) }}
{{- range .Values.experts }}
{{- if and .apiKey (not .apiKeySecret) }}{{- $needed = true }}{{- end }}
{{- end }}
{{- if $needed }}true{{- end }}
{{- end }}

{{/*
Checks that cross several values, where the schema cannot reach. Included by the router Deployment so
that it runs on every render.
*/}}
{{- define "consilium.validate" -}}
{{- $redis := include "consilium.redis.enabled" . }}
{{- if and (not $redis) (eq (toString .Values.cache.store) "redis") }}
{{- fail "cache.store is redis but redis.mode is none: a shared answer cache needs redis.mode external or bundled (or cache.store memory)" }}
{{- end }}
{{- if not $redis }}
{{- if gt (int .Values.replicaCount) 1 }}
{{- fail (printf "replicaCount is %d but redis.mode is none: replicas need a shared store, set redis.mode to external or bundled (or replicaCount to 1)" (int .Values.replicaCount)) }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- fail "autoscaling.enabled needs a shared store: set redis.mode to external or bundled" }}
{{- end }}
{{- else }}
{{- if not (or .Values.security.masterKey .Values.security.existingSecret) }}
{{- fail "security.masterKey (or security.existingSecret) is required when redis.mode is external or bundled: it encrypts the experts' api-keys kept in Redis (e.g. --set security.masterKey=$(openssl rand -base64 32))" }}
{{- end }}
{{- if and (eq .Values.redis.mode "bundled") (not (or .Values.redis.password .Values.redis.existingSecret)) }}
{{- fail "redis.password (or redis.existingSecret) is required when redis.mode is bundled (e.g. --set redis.password=$(openssl rand -hex 24))" }}
{{- end }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- $ids := dict }}
{{- range .Values.experts }}
{{- if hasKey $ids .id }}{{- fail (printf "expert id '%s' is defined twice" .id) }}{{- end }}
{{- $_ := set $ids .id true }}
{{- end }}
{{- range .Values.localExperts }}
{{- if hasKey $ids .name }}{{- fail (printf "expert id '%s' is defined twice (experts and localExperts)" .name) }}{{- end }}
{{- $_ := set $ids .name true }}
{{- $provider := (default (dict) .expert).provider | default "onnx" }}
{{- if and (eq $provider "onnx") (not (default (dict) .model).volume) }}
{{- fail (printf "localExperts '%s': model.volume is required for an onnx expert (a PVC or an image volume holding the model files)" .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Environment of the router container: where its configuration is, the JVM flags, and every secret as
a secretKeyRef (never a literal value).
*/}}
{{- define "consilium.router.env" -}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: "file:/etc/consilium/config/application.yaml"
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.jvmOptions | quote }}
- name: DJL_CACHE_DIR
  value: "/tmp/djl"
{{- if or .Values.auth.adminKey .Values.auth.existingSecret }}
- name: CONSILIUM_AUTH_ADMINKEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.auth.existingSecret | default (include "consilium.secretName" .) | quote }}
      key: {{ ternary .Values.auth.existingSecretKey "admin-key" (not (empty .Values.auth.existingSecret)) | quote }}
{{- end }}
{{- if or .Values.security.masterKey .Values.security.existingSecret }}
- name: CONSILIUM_SECURITY_MASTERKEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.security.existingSecret | default (include "consilium.secretName" .) | quote }}
      key: {{ ternary .Values.security.existingSecretKey "master-key" (not (empty .Values.security.existingSecret)) | quote }}
{{- end }}
{{- if and (include "consilium.redis.enabled" .) (or .Values.redis.password .Values.redis.existingSecret) }}
- name: CONSILIUM_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret | default (include "consilium.secretName" .) | quote }}
      key: {{ ternary .Values.redis.existingSecretPasswordKey "redis-password" (not (empty .Values.redis.existingSecret)) | quote }}
{{- end }}
{{- range .Values.experts }}
{{- if .apiKeySecret }}
- name: {{ include "consilium.expertKeyEnv" .id }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "experts '%s': apiKeySecret.name is required" .id) .apiKeySecret.name | quote }}
      key: {{ required (printf "experts '%s': apiKeySecret.key is required" .id) .apiKeySecret.key | quote }}
{{- else if .apiKey }}
- name: {{ include "consilium.expertKeyEnv" .id }}
  valueFrom:
    secretKeyRef:
      name: {{ include "consilium.secretName" $ | quote }}
      key: {{ include "consilium.expertSecretKey" .id | quote }}
{{- end }}
{{- end }}
{{- with .Values.tracing }}
{{- if .endpoint }}
- name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT
  value: {{ .endpoint | quote }}
- name: MANAGEMENT_TRACING_SAMPLING_PROBABILITY
  value: {{ .samplingProbability | toString | quote }}
{{- end }}
{{- if .captureContent }}
- name: CONSILIUM_TRACING_CAPTURECONTENT
  value: "true"
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Probes on the actuator health groups (liveness, readiness) of the container port named "http".
Call with the probes values.
*/}}
{{- define "consilium.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  initialDelaySeconds: {{ .startup.initialDelaySeconds }}
  periodSeconds: {{ .startup.periodSeconds }}
  timeoutSeconds: {{ .startup.timeoutSeconds }}
  failureThreshold: {{ .startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: {{ .liveness.periodSeconds }}
  timeoutSeconds: {{ .liveness.timeoutSeconds }}
  failureThreshold: {{ .liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: http
  periodSeconds: {{ .readiness.periodSeconds }}
  timeoutSeconds: {{ .readiness.timeoutSeconds }}
  failureThreshold: {{ .readiness.failureThreshold }}
{{- end }}
