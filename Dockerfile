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
# The daemon-less alternative is Jib (see router-service/pom.xml): same base image, user, port and
# JVM flags.

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

# Spring Boot's layered layout: dependencies change rarely, the application's classes often, so a
# code change rebuilds only the last, small layer. --launcher keeps the Spring Boot launcher, which
# reads the classpath order from the jar's index.
RUN java -Djarmode=tools -jar router-service/target/consilium-exec.jar \
        extract --layers --launcher --destination /build/extracted

# ---- run: JRE only, non-root ----
FROM ${JRE_IMAGE}

# A fixed UID/GID, so that Kubernetes' runAsNonRoot can verify it and volumes can be owned by it.
RUN groupadd --system --gid 10001 consilium \
    && useradd --system --uid 10001 --gid consilium --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin consilium

WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# JVM flags come from JAVA_TOOL_OPTIONS so that `docker run -e` or the Helm chart's jvmOptions can
# replace them: size the heap from the container's memory limit (leaving room for ONNX Runtime and
# direct buffers) and let the orchestrator restart the container on an OutOfMemoryError.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
# The tokenizer library unpacks native code into its cache; with a read-only root filesystem only
# /tmp is writable.
ENV DJL_CACHE_DIR=/tmp/djl

# The only place the service writes to (Tomcat work files, unpacked native libraries). Kubernetes
# mounts an emptyDir here when the root filesystem is read-only.
VOLUME /tmp

USER 10001:10001
EXPOSE 8080

# Exec form: java is PID 1 and receives SIGTERM, so server.shutdown=graceful can drain requests.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
