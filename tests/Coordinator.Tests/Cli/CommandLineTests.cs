using System.CommandLine;
using System.CommandLine.Invocation;
using Drover.Cli;

namespace Drover.Coordinator.Tests.Cli;

/// <summary>The command line's grammar, without a coordinator: what is refused before anything is sent.</summary>
[Trait("Category", "Fast")]
public sealed class CommandLineTests
{
    private readonly StringWriter _output = new();

    private ParseResult Parse(params string[] args) => DroverCommand.Create(_output).Parse(args);

    public static TheoryData<string[]> EveryCommand => new()
    {
        { ["migrate", "vm1"] }, { ["migrate", "vm1", "--dry-run"] }, { ["where", "vm1"] }, { ["status"] }, { ["watch", "vm1"] }, { ["history", "vm1"] }, { ["cancel", "vm1"] }, { ["force-complete", "vm1"] }, { ["tune", "vm1", "--bandwidth", "64"] }, { ["hosts"] },
        { ["vms"] }, { ["rebalance"] }, { ["drain", "kvm-a"] }, { ["jobs"] }, { ["job", "1234abcd"] }, { ["job", "cancel", "1234abcd"] },
        { ["approve", "1234abcd"] }, { ["completion", "bash"] },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Every_command_refuses_an_option_it_does_not_know_and_accepts_its_own_line(string[] command)
    {
        Assert.Empty(Parse(command).Errors);

        var bogus = Parse([.. command, "--frobnicate"]);
        Assert.IsType<ParseErrorAction>(bogus.Action);
        Assert.Contains(bogus.Errors, e => e.Message.Contains("--frobnicate"));
    }

    [Fact]
    public void A_dry_run_cannot_be_watched_for_it_starts_nothing()
    {
        Assert.Empty(Parse("migrate", "demo01", "--from", "kvm-b", "--to", "kvm-a", "--dry-run").Errors);
        Assert.IsType<ParseErrorAction>(Parse("migrate", "demo01", "--dry-run", "--watch").Action);
    }

    [Theory]
    [InlineData(new[] { "migrate", "demo01", "--from" }, "--from")]
    [InlineData(new[] { "migrate", "demo01", "--bandwidth", "fast" }, "--bandwidth takes a whole number, not 'fast'")]
    [InlineData(new[] { "migrate", "demo01", "--live", "--offline" }, "choose one of --live, --non-live, --offline")]
    [InlineData(new[] { "migrate" }, "VM")]
    [InlineData(new[] { "rebalance", "--strategy", "disks" }, "disks")]
    [InlineData(new[] { "completion", "fish" }, "fish")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "tune", "vm1" }, "tune needs --bandwidth, --max-downtime or both")]
    public void Bad_usage_is_a_parse_error_that_names_the_mistake(string[] args, string named)
    {
        var result = Parse(args);
        Assert.IsType<ParseErrorAction>(result.Action);
        Assert.Contains(result.Errors, e => e.Message.Contains(named));
    }

    [Fact]
    public void The_options_reach_the_request_unchanged()
    {
        var result = Parse("migrate", "web01", "--to", "kvm-b", "--non-live", "--bandwidth", "64", "--max-downtime", "300", "--post-copy", "--watch");
        Assert.Empty(result.Errors);
        Assert.Equal("web01", result.GetValue<string>("VM"));
        Assert.Null(result.GetValue<string?>("--from"));   // optional: the coordinator finds the source
        Assert.Equal(64, result.GetValue<long?>("--bandwidth"));
        Assert.True(result.GetValue<bool>("--non-live"));
        Assert.False(result.GetValue<bool>("--copy-storage"));
        Assert.True(Parse("migrate", "web01", "--offline", "--copy-storage").GetValue<bool>("--copy-storage"));
    }

    [Fact]
    public void Version_help_and_completion_answer_without_a_coordinator()
    {
        Assert.Equal(0, Parse("--version").Invoke(new InvocationConfiguration { Output = _output }));
        Assert.Matches(@"^\d+\.\d+\.\d+", _output.ToString());

        Assert.Equal(0, Parse("help", "migrate").Invoke(new InvocationConfiguration { Output = _output }));
        Assert.Contains("--max-downtime", _output.ToString());

        var suggest = new StringWriter();
        Assert.Equal(0, Parse("[suggest:4]", "migr").Invoke(new InvocationConfiguration { Output = suggest }));
        Assert.Equal("migrate", suggest.ToString().Trim());

        Assert.Equal(0, Parse("completion", "bash").Invoke(new InvocationConfiguration { Output = _output }));
        Assert.Contains("complete -o default -F _drover_complete drover", _output.ToString());
    }
}
