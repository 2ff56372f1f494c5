package io.slipway.dynoagent.drivers;

class ProcessDynoDriverTest extends DynoDriverConformance {
    @Override
    protected DynoDriver driver() {
        return new ProcessDynoDriver();
    }
}
