using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Admission;

/// <summary>A request checked on its own, before any host is asked (pure; the lab tests show the same rejections on the bus).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class MigrationRequestValidatorTests
{
    private static readonly MigrateVm Good = new() { MigrationId = Guid.NewGuid(), Vm = "web01", SourceHost = "kvm-a", DestinationHost = "kvm-b", Kind = MigrationKind.Live };

    [Fact]
    public void A_plain_request_and_one_naming_the_vm_by_uuid_are_valid()
    {
        Assert.Null(MigrationRequestValidator.Validate(Good));
        Assert.Null(MigrationRequestValidator.Validate(Good with { Vm = Guid.NewGuid().ToString(), DestinationHost = null }));
    }

    public static TheoryData<string, MigrateVm, string> Bad() => new()
    {
        { "Vm", Good with { Vm = "" }, "required" },
        { "Vm", Good with { Vm = "web<01>" }, "may contain only" },
        { "Vm", Good with { Vm = new string('v', 65) }, "at most 64" },
        { "SourceHost", Good with { SourceHost = "KVM_A" }, "not a host name" },
        { "DestinationHost", Good with { DestinationHost = "kvm-a" }, "is the source host" },
        { "Kind", Good with { Kind = (MigrationKind)9 }, "unknown" },
        { "BandwidthMiBps", Good with { BandwidthMiBps = 0 }, "positive" },
        { "MaxDowntimeMs", Good with { MaxDowntimeMs = 700_000 }, "at most" },
        { "PostCopyAllowed", Good with { Kind = MigrationKind.NonLive, PostCopyAllowed = true }, "live migrations only" },
        { "BandwidthMiBps", Good with { Kind = MigrationKind.Offline, BandwidthMiBps = 10 }, "moves no memory" },
        { "MaxAttempts", Good with { MaxAttempts = 11 }, "between 1 and 10" },
        { "UndefineSource", Good with { UndefineSource = true }, "add Persistent" },
        { "Priority", Good with { Priority = 101 }, "between -100 and 100" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_request_names_its_field_and_says_what_is_wrong(string field, MigrateVm request, string says)
    {
        var problem = MigrationRequestValidator.Validate(request);
        Assert.NotNull(problem);
        Assert.Equal(field, problem.Field);
        Assert.Contains(says, problem.Reason);
    }

    [Fact]
    public void Undefine_source_is_fine_with_persistent_and_for_an_offline_move()
    {
        Assert.Null(MigrationRequestValidator.Validate(Good with { UndefineSource = true, Persistent = true }));
        Assert.Null(MigrationRequestValidator.Validate(Good with { UndefineSource = true, Kind = MigrationKind.Offline }));
    }
}
