package dev.crmsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.WriteOutcome;

/** Connector tests assert a write went through and then read what the system answered. */
public final class Outcomes {

    private Outcomes() {
    }

    /** @return the record the system answered with, failing the test if the write was not done */
    public static SideRecord done(WriteOutcome outcome) {
        assertThat(outcome).isInstanceOf(WriteOutcome.Done.class);
        return ((WriteOutcome.Done) outcome).record();
    }
}
