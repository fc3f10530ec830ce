# syntax=docker/dockerfile:1

# --- build: compile and test-free package with the Maven wrapper on a JDK 21
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package \
    && cp target/rebound-*.jar /src/application.jar \
    && java -Djarmode=tools -jar /src/application.jar extract --layers --destination /src/extracted

# --- run: a JRE, the layered jar (dependencies change least, so they come first), a user without privileges
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 rebound && useradd --system --uid 10001 --gid rebound --home-dir /app --shell /usr/sbin/nologin rebound
WORKDIR /app
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
USER rebound:rebound
EXPOSE 8080
# the parallel collector: a quarter less CPU per event than G1 on the ingest benchmark (README)
ENV JAVA_TOOL_OPTIONS="-XX:+UseParallelGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /actuator/health/readiness HTTP/1.0\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'
ENTRYPOINT ["java", "-jar", "application.jar"]
