{{/* Names, labels, images, secrets and security contexts every template shares. */}}

{{- define "freshet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "freshet.fullname" -}}
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

{{/* A component's resource name: <fullname>-<component>. */}}
{{- define "freshet.componentName" -}}
{{- printf "%s-%s" (include "freshet.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "freshet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of a component; call with (dict "root" $ "component" "registry"). */}}
{{- define "freshet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "freshet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "freshet.labels" -}}
helm.sh/chart: {{ include "freshet.chart" .root }}
{{ include "freshet.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: freshet
{{- end }}

{{/* An image: (dict "root" $ "image" .Values.registry.image). */}}
{{- define "freshet.image" -}}
{{- $prefix := .root.Values.image.registry -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if $prefix }}{{ printf "%s/%s:%s" (trimSuffix "/" $prefix) .image.repository $tag }}{{ else }}{{ printf "%s:%s" .image.repository $tag }}{{ end }}
{{- end }}

{{- define "freshet.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Required settings, failing the render with what to set. */}}
{{- define "freshet.kafka" -}}
{{- required "kafka.bootstrapServers is required: the brokers' host:port" .Values.kafka.bootstrapServers }}
{{- end }}

{{- define "freshet.s3Endpoint" -}}
{{- required "s3.endpoint is required: the S3 (or MinIO) endpoint URL" .Values.s3.endpoint }}
{{- end }}

{{/* The S3 credentials Secret: the existing one, or the chart's. */}}
{{- define "freshet.s3SecretName" -}}
{{- if .Values.s3.existingSecret }}{{ .Values.s3.existingSecret }}{{ else }}{{ include "freshet.componentName" (dict "root" . "component" "s3") }}{{ end }}
{{- end }}

{{- define "freshet.tokenSecretName" -}}
{{- if .Values.registryToken.existingSecret }}{{ .Values.registryToken.existingSecret }}{{ else }}{{ include "freshet.componentName" (dict "root" . "component" "registry-token") }}{{ end }}
{{- end }}

{{/* The registry's in-cluster URL. */}}
{{- define "freshet.registryUrl" -}}
http://{{ include "freshet.componentName" (dict "root" . "component" "registry") }}:{{ .Values.registry.service.port }}
{{- end }}

{{/* FRESHET_S3_ACCESS_KEY / FRESHET_S3_SECRET_KEY from the S3 Secret (model-store's S3Env). */}}
{{- define "freshet.s3CredentialsEnv" -}}
- name: FRESHET_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "freshet.s3SecretName" . }}
      key: {{ .Values.s3.accessKeyKey }}
- name: FRESHET_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "freshet.s3SecretName" . }}
      key: {{ .Values.s3.secretKeyKey }}
{{- end }}

{{/* FRESHET_REGISTRY_TOKEN from its Secret (model-registry's RegistryToken). */}}
{{- define "freshet.registryTokenEnv" -}}
- name: FRESHET_REGISTRY_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "freshet.tokenSecretName" . }}
      key: {{ .Values.registryToken.key }}
{{- end }}

{{/* Pod and container security contexts: uid 10001, as docker/Dockerfile's images run. */}}
{{- define "freshet.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
{{- end }}

{{- define "freshet.containerSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
      - ALL
  seccompProfile:
    type: RuntimeDefault
{{- end }}

{{/* An HTTP probe: (dict "path" "/healthz" "port" "http" "period" 10 "failures" 3). */}}
{{- define "freshet.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: {{ .port }}
periodSeconds: {{ .period | default 10 }}
timeoutSeconds: 3
failureThreshold: {{ .failures | default 3 }}
{{- end }}
