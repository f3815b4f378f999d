package dev.crmsync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SideTest {

    @Test
    void shouldReadAndWriteTheConfigurationNameOfEachSideInAnyCase() {
        assertThat(Side.WEBCRM.configName()).isEqualTo("webcrm");
        assertThat(Side.CUSTOMCRM.configName()).isEqualTo("customcrm");
        assertThat(Side.fromConfigName(" WebCRM ")).isEqualTo(Side.WEBCRM);
        assertThat(Side.fromConfigName("customcrm")).isEqualTo(Side.CUSTOMCRM);
        assertThatThrownBy(() -> Side.fromConfigName("salesforce")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'salesforce' is not a side; use webcrm or customcrm");
        assertThatThrownBy(() -> Side.fromConfigName(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
