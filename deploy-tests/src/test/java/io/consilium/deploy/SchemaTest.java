package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values before any template runs, naming the value. */
class SchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'redis: {mode: bogus}'                              | /redis/mode
            'replicaCount: -1'                                  | /replicaCount
            'replicaCount: two'                                 | /replicaCount
            'replicas: 2'                                       | replicas
            'service: {port: 70000}'                            | /service/port
            'resources: {limits: null}'                        | limits
            'image: {pullPolicy: Sometimes}'                    | /image/pullPolicy
            'security: {masterKey: short}'                      | /security/masterKey
            'experts: [{id: Bad_Id, provider: openai}]'         | /experts/0/id
            'experts: [{id: x, provider: gopher}]'              | /experts/0/provider
            'experts: [{id: x, provider: openai, apis: [completions]}]' | /experts/0/apis
            'experts: [{id: x, provider: openai, apis: [responses]}]'   | /experts/0/apis
            'localExperts: [{name: Bad.Name}]'                  | /localExperts/0/name
            'autoscaling: {enabled: true, maxReplicas: 0}'      | /autoscaling/maxReplicas
            'cache: {mode: always}'                             | /cache/mode
            'cache: {mode: semantic, similarityThreshold: 1.5}' | /cache/similarityThreshold
            """)
    void should_refuse_values_that_break_the_schema(String values, String named) {
        // when
        String message = Chart.renderFailure(values + "\n");

        // then
        assertThat(message).contains("values don't meet the specifications of the schema").contains(named);
    }
}
