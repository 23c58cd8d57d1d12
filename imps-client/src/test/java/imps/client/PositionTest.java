package imps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionTest {
  @Test
  void parsesTheWireFormAndPrintsItBack() {
    assertThat(Position.parse("23.13, 113.26")).isEqualTo(new Position(23.13, 113.26));
    assertThat(Position.parse("-33.8688,151.2093").toString()).isEqualTo("-33.8688,151.2093");
    assertThat(new Position(1.0000004, -0.5).toString()).isEqualTo("1,-0.5");
    assertThat(new Position(0.1234567, 0).toString()).isEqualTo("0.123457,0");
  }

  @Test
  void refusesWhatIsNotAPosition() {
    assertThatThrownBy(() -> Position.parse("91,0")).hasMessageContaining("latitude");
    assertThatThrownBy(() -> Position.parse("0,181")).hasMessageContaining("longitude");
    assertThatThrownBy(() -> Position.parse("here")).hasMessageContaining("LAT,LON");
    assertThatThrownBy(() -> Position.parse("1,2,3")).hasMessageContaining("LAT,LON");
    assertThatThrownBy(() -> Position.parse("NaN,0")).isInstanceOf(IllegalArgumentException.class);
  }
}
