namespace Drover.Cli;

/// <summary>What a script can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int Rejected = 3;
    public const int RolledBack = 4;
    public const int Failed = 5;
    public const int Unreachable = 6;

    public static int ForState(string state) => state switch
    {
        "Completed" => Ok,
        "Rejected" => Rejected,
        "RolledBack" or "Cancelled" => RolledBack,
        "Failed" or "NeedsAttention" => Failed,
        _ => Ok,
    };
}
