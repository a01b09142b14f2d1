# syntax=docker/dockerfile:1
#
# Container image of the Consilium service (router and local expert servers use the same image).
#
#   docker build -t consilium/router:0.1.0 .
#   docker run --rm -p 8080:8080 consilium/router:0.1.0
#
# Health: GET /actuator/health/liveness and /actuator/health/readiness (the Helm chart's probes);
# metrics: GET /actuator/prometheus. No HEALTHCHECK: Kubernetes uses its own probes, and the JRE base
# image ships no HTTP client to run one with.
#
# Start-up: the image carries a JDK AOT cache (/app/consilium.aot), made at build time by a training run
# of the service with the image's own JVM, and the entrypoint uses it: classes come already parsed and
# linked, with the JIT's profiles of serving requests, so the service is ready and fast sooner.
#
# The daemon-less alternative is Jib (see router-service/pom.xml): same base image, user, port and
# JVM flags, but no AOT cache.

ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

# ---- build: compile with the Maven wrapper and split the executable jar into layers ----
FROM ${JDK_IMAGE} AS build
WORKDIR /build

# Sources (see .dockerignore: no target/, .git or IDE files). Every module's pom must be present for
# the reactor, even though only the service and its libraries are built.
COPY . .

# The Maven repository is a BuildKit cache: dependencies survive between builds without landing in a
# layer. Tests are for CI (./mvnw verify), not for the image build.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl router-service -am package

# Spring Boot's layered layout: dependencies change rarely, the application often, so a code change
# rebuilds only the last, small layers. No --launcher: the AOT cache takes classes only from jars on
# the JVM's class path, so the application stays a jar (consilium-exec.jar, whose manifest lists lib/).
RUN java -Djarmode=tools -jar router-service/target/consilium-exec.jar \
        extract --layers --destination /build/extracted

# ---- run: JRE only, non-root ----
FROM ${JRE_IMAGE}

# A fixed UID/GID, so that Kubernetes' runAsNonRoot can verify it and volumes can be owned by it.
RUN groupadd --system --gid 10001 consilium \
    && useradd --system --uid 10001 --gid consilium --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin consilium

WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# JVM flags come from JAVA_TOOL_OPTIONS so that `docker run -e` or the Helm chart's jvmOptions can
# replace them: size the heap from the container's memory limit (leaving room for ONNX Runtime and
# direct buffers) and let the orchestrator restart the container on an OutOfMemoryError.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
# The tokenizer library unpacks native code into its cache; with a read-only root filesystem only
# /tmp is writable.
ENV DJL_CACHE_DIR=/tmp/djl

# The training run of the AOT cache, by the JVM that will run the service, on the class path it will
# use (/app/consilium-exec.jar). The service starts on its embedded defaults, sends itself about 1,400
# requests on loopback (mock experts, both virtual models, streams, probes, metrics, a refused key) and
# exits; a request that does not get what it should fails the build. The heap is pinned below 32 GiB
# for the run: on a large build machine MaxRAMPercentage would otherwise turn compressed pointers off,
# and a cache made without them cannot be used by a container with a smaller heap. Nothing the run
# writes to /tmp (unpacked native libraries, the JVM's perf data) stays in the image.
RUN mkdir /tmp/aot-training \
    && DJL_CACHE_DIR=/tmp/aot-training/djl java -XX:AOTCacheOutput=/app/consilium.aot -Xmx1g -XX:-UsePerfData \
        -Djava.io.tmpdir=/tmp/aot-training -jar /app/consilium-exec.jar \
        --consilium.aot.training=true --server.port=0 \
    && rm -rf /tmp/aot-training

# The only place the service writes to (Tomcat work files, unpacked native libraries). Kubernetes
# mounts an emptyDir here when the root filesystem is read-only.
VOLUME /tmp

USER 10001:10001
EXPOSE 8080

# Exec form: java is PID 1 and receives SIGTERM, so server.shutdown=graceful can drain requests. Flags
# that the cache cannot be used with (ZGC, a heap of 32 GiB or more, a -javaagent) make the JVM say so
# and start without it.
ENTRYPOINT ["java", "-XX:AOTCache=/app/consilium.aot", "-jar", "/app/consilium-exec.jar"]
