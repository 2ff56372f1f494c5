package io.slipway.api.scheduler;

import io.slipway.api.fleet.Agent;
import io.slipway.shared.dynos.DynoSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What each live agent can still take, read once per transaction that places dynos and updated as it places:
 * a dyno needs one slot and its size's memory. Dynos still draining on an agent count until they are gone.
 *
 * <p>Read lazily, at the first {@link #take}: reconciling an app or reporting a dyno state usually places
 * nothing, and reading every placed dyno and live agent each time made the scheduler's full pass grow with
 * apps × dynos (docs/benchmarks.md, scale simulation). The caller still holds the scheduler lock when it takes.
 */
public final class Capacity {
    private final List<Free> agents = new ArrayList<>();
    private Consumer<Capacity> loader;

    Capacity() {
    }

    /** Room that {@code loader} fills (with {@link #add}) when the first dyno is placed, if ever. */
    static Capacity lazy(Consumer<Capacity> loader) {
        Capacity c = new Capacity();
        c.loader = loader;
        return c;
    }

    private static final class Free {
        final Agent agent;
        int slots;
        int memoryMb;

        Free(Agent agent, int slots, int memoryMb) {
            this.agent = agent;
            this.slots = slots;
            this.memoryMb = memoryMb;
        }
    }

    void add(Agent agent, int usedSlots, int usedMemoryMb) {
        agents.add(new Free(agent, agent.dynoSlots() - usedSlots, agent.memoryMb() - usedMemoryMb));
    }

    /**
     * Takes room for a dyno of {@code size} on the agent with the most free memory (spreading dynos, so one
     * agent's loss takes as few as possible), or empty when no live agent has room.
     */
    public Optional<Agent> take(String size) {
        if (loader != null) {
            Consumer<Capacity> load = loader;
            loader = null;
            load.accept(this);
        }
        int needed = DynoSize.memoryMbOf(size);
        Optional<Free> best = agents.stream()
                .filter(f -> f.slots >= 1 && f.memoryMb >= needed)
                .max(Comparator.<Free>comparingInt(f -> f.memoryMb).thenComparingInt(f -> f.slots)
                        .thenComparing(f -> f.agent.id(), Comparator.reverseOrder()));
        best.ifPresent(f -> {
            f.slots--;
            f.memoryMb -= needed;
        });
        return best.map(f -> f.agent);
    }
}
