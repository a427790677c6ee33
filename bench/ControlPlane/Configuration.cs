namespace Drover.ControlPlaneBench;

/// <summary>One measured setup: the database and how many coordinators share it.</summary>
public sealed record Configuration(string Name, bool Postgres, int Coordinators)
{
    public static readonly Configuration[] All =
    [
        new("postgres, 1 coordinator", Postgres: true, Coordinators: 1),
        new("postgres, 2 coordinators", Postgres: true, Coordinators: 2),
        new("sqlite, 1 coordinator", Postgres: false, Coordinators: 1),
    ];
}
