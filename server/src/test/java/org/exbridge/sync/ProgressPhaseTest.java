package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.exbridge.binding.BindingStatus;
import org.junit.jupiter.api.Test;

/** The phase the operator reads agrees with the status, though they are written apart. */
class ProgressPhaseTest {
  @Test
  void thePhaseIsNeverBehindTheStatus() {
    assertThat(SyncControl.phase(BindingStatus.DOING, SyncJobs.CALENDARS)).isEqualTo("calendars");
    assertThat(SyncControl.phase(BindingStatus.CAL_DONE, SyncJobs.CALENDARS)).isEqualTo("window");
    assertThat(SyncControl.phase(BindingStatus.TIMESPAN_DONE, SyncJobs.WINDOW)).isEqualTo("all");
    assertThat(SyncControl.phase(BindingStatus.DONE, SyncJobs.INCREMENTAL))
        .isEqualTo("incremental");
    // A done binding reading everything again (a resync) says so.
    assertThat(SyncControl.phase(BindingStatus.DONE, SyncJobs.ALL)).isEqualTo("all");
    assertThat(SyncControl.phase(BindingStatus.ERR, SyncJobs.WINDOW)).isEqualTo("stopped");
  }
}
