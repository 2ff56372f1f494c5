package io.slipway.dynoagent.drivers;

class ProcessDynoDriverTest extends DynoDriverConformance {
    private DynoDriver driver;

    @Override
    protected DynoDriver driver() {
        if (driver == null) driver = new ProcessDynoDriver();
        return driver;
    }
}
