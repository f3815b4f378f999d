package dev.crmsync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinedTransformTest {

    private final ValueTransform twoParts = Transforms.joined(" ", 2);

    @Test
    void shouldJoinTheFilledPartsWithTheSeparator() {
        assertThat(twoParts.toCanonical(List.of("Mette", "Louise"))).isEqualTo("Mette Louise");
        assertThat(twoParts.toCanonical(Arrays.asList(null, " Hansen "))).isEqualTo("Hansen");
        assertThat(twoParts.toCanonical(Arrays.asList(null, ""))).isNull();
    }

    @Test
    void shouldSplitAtTheLastSeparatorSoTheLastPartIsFilledFirst() {
        assertThat(twoParts.fromCanonical("Anne Sofie Marie")).isEqualTo(List.of("Anne Sofie", "Marie"));
        assertThat(twoParts.fromCanonical("Hansen")).isEqualTo(Arrays.asList(null, "Hansen"));
        assertThat(twoParts.fromCanonical(null)).isEqualTo(Arrays.asList(null, null));
        assertThat(Transforms.joined(", ", 3).fromCanonical("a, b")).isEqualTo(Arrays.asList(null, "a", "b"));
    }

    @Test
    void shouldGiveBackTheSameValueWhenASplitValueIsJoinedAgain() {
        for (String value : List.of("Anne", "Anne Sofie", "Anne Sofie Marie Holm")) {
            assertThat(twoParts.toCanonical(twoParts.fromCanonical(value))).as(value).isEqualTo(value);
        }
    }

    @Test
    void shouldRefuseAJoinOfFewerThanTwoParts() {
        assertThatThrownBy(() -> Transforms.joined(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
