# flink-elt job image: the slim job jar on the official Flink image whose version matches the pom's Flink.
# Build: docker build -t flink-elt:0.1.0 .   (tests run in CI, not here: -DskipTests)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DexcludeTransitive=false || true
COPY src src
COPY flink-conf flink-conf
RUN mvn -B -q -DskipTests package

FROM flink:1.20.3-java17
COPY --from=build --chown=flink:flink /src/target/flink-elt-job.jar /opt/flink/usrlib/flink-elt-job.jar
USER flink
