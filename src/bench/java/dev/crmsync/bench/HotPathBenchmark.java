package dev.crmsync.bench;

import dev.crmsync.adapters.webcrm.internal.WebcrmJson;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.engine.ConflictPolicy;
import dev.crmsync.engine.FieldMerge;
import dev.crmsync.engine.MergeResult;
import dev.crmsync.engine.SideValues;
import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The engine's work per record, one thread: map a webCRM organisation to canonical values (normalising each
 * field), hash them to see whether it changed, and merge it three-way with the Customcrm side. The baseline is
 * Jackson parsing the same record's JSON, as crmsync's webCRM connector parses it: a cost every sync pays per
 * record anyway, measured in the same run so that a shared, noisy machine shows in both.
 *
 * <p>The record is the first organisation the webCRM simulator seeds, with every default field filled as the
 * seed fills it; the edit being merged is a new comment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class HotPathBenchmark {

    private String json;
    private SideRecord record;
    private RecordMapper mapper;
    private FieldMerge merge;
    private FieldValues base;
    private String baseHash;
    private SideValues customcrm;
    private Instant modifiedAt;
    private FieldValues mapped;
    private SideValues webcrm;

    @Setup
    public void setUp() {
        WebcrmSimulator sim = WebcrmSimulator.builder().token("jmh").seedPlan(new SeedPlan(0, 1, 0, 0)).build();
        json = SimulatorJson.mapper().writeValueAsString(sim.record(WebcrmEntity.ORGANISATION, 1).orElseThrow());
        Map<String, Object> properties = WebcrmJson.object(json);
        modifiedAt = Instant.parse("2026-11-02T10:00:00Z");
        record = new SideRecord(Side.WEBCRM, Flow.ORGANISATIONS, "1", properties, modifiedAt, false);
        mapper = new RecordMapper(DefaultMappings.all(Locale.ENGLISH).get(Flow.ORGANISATIONS));
        merge = new FieldMerge(mapper.mapping(), ConflictPolicy.ofDefaults());
        // The last agreed values differ from the record in one field: the comment a webCRM user just wrote.
        base = mapper.toCanonical(record, RefResolver.NONE).values().with("notes", "the comment before the edit");
        baseHash = base.hash();
        customcrm = new SideValues(base, modifiedAt.minusSeconds(3600), false);
        mapped = mapper.toCanonical(record, RefResolver.NONE).values();
        webcrm = new SideValues(mapped, modifiedAt, true);
    }

    /**
     * @return the merge, so that nothing of the work can be left out by the JIT
     */
    @Benchmark
    public MergeResult mapHashMerge() {
        FieldValues values = mapper.toCanonical(record, RefResolver.NONE).values();
        boolean changed = !values.hash().equals(baseHash);
        return merge.merge(base, new SideValues(values, modifiedAt, changed), customcrm);
    }

    /**
     * The parts of {@link #mapHashMerge} one by one, so that a report can say which of them costs most.
     *
     * @return the canonical values
     */
    @Benchmark
    public FieldValues partMap() {
        return mapper.toCanonical(record, RefResolver.NONE).values();
    }

    /**
     * @return the hash
     */
    @Benchmark
    public String partHash() {
        return mapped.hash();
    }

    /**
     * @return the merge
     */
    @Benchmark
    public MergeResult partMerge() {
        return merge.merge(base, webcrm, customcrm);
    }

    /**
     * @return the parsed record
     */
    @Benchmark
    public Map<String, Object> baselineParseJson() {
        return WebcrmJson.object(json);
    }
}
