package imps.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Instance ids: safe in key names, new for every process. */
class RedisSessionRouterTest {

  @Test
  void theNodeIdIsMadeSafeAndGetsARandomSuffix() {
    assertThat(RedisSessionRouter.instanceId("Node 1/ü", 70)).isEqualTo("node_1__.z");
    assertThat(RedisSessionRouter.instanceId("a.b-c_d", -1))
        .isEqualTo("a.b-c_d." + Long.toString(Long.MAX_VALUE, 36));
  }

  @Test
  void aMissingNodeIdBecomesThePid() {
    String pid = Long.toString(ProcessHandle.current().pid());
    assertThat(RedisSessionRouter.instanceId(null, 0)).isEqualTo("node-" + pid + ".0");
    assertThat(RedisSessionRouter.instanceId("", 0)).isEqualTo("node-" + pid + ".0");
  }
}
