using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CsCheck;

namespace AuthKit.Properties;

/// <summary>
/// Runs a property over generated cases, deterministically: every property draws its cases from one fixed seed (its own stream
/// of it), so a CI failure replays on any machine. Shared by the property tests of every package (linked into each test project).
/// </summary>
/// <remarks>
/// <para><c>AUTHKIT_PROPERTY_ITERATIONS</c> sets the number of cases of every property (the long run: 1000000); unset, each
/// property runs its CI count. <c>AUTHKIT_PROPERTY_SEED</c> (a number) explores another seed. <c>AUTHKIT_PROPERTY_LOG</c> names a
/// file that gets one line per property run: name, cases, seed, milliseconds.</para>
/// <para>A failure reports the case number and its <c>CsCheck_Seed</c>: <c>gen.Sample(property, seed: "...")</c> replays that case
/// and shrinks it.</para>
/// </remarks>
internal static class PropertyRun
{
    /// <summary>The seed CI runs with.</summary>
    public const ulong DefaultSeed = 20260115;

    /// <summary>The number of cases per property in CI.</summary>
    public const long CiIterations = 10_000;

    public const string IterationsVariable = "AUTHKIT_PROPERTY_ITERATIONS";

    public const string SeedVariable = "AUTHKIT_PROPERTY_SEED";

    public const string LogVariable = "AUTHKIT_PROPERTY_LOG";

    private static readonly Lock s_logLock = new();

    /// <summary>The cases a property runs: the environment's count when set, otherwise <paramref name="ciIterations"/>.</summary>
    public static long Iterations(long ciIterations = CiIterations) =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : ciIterations;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;

    /// <summary>Checks <paramref name="property"/> on <see cref="Iterations"/> cases of <paramref name="gen"/>; throws on the first failing case.</summary>
    public static void Check<T>(Gen<T> gen, Action<T> property, long ciIterations = CiIterations, Func<T, string>? print = null, [CallerFilePath] string file = "", [CallerMemberName] string name = "")
    {
        var iterations = Iterations(ciIterations);
        var property_ = Path.GetFileNameWithoutExtension(file) + "." + name;
        var pcg = new PCG(StreamOf(property_), Seed);
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < iterations; i++)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception ex)
            {
                var shown = print is not null ? print(value) : CsCheck.Check.Print(value);
                if (shown.Length > 2000)
                {
                    shown = shown[..2000] + "…";
                }

                throw new PropertyFailedException(
                    $"{property_} failed at case {i} of {iterations} (seed {Seed}, CsCheck_Seed={pcg.ToString(state)}): {shown}", ex);
            }
        }

        watch.Stop();
        var line = $"{property_}\t{iterations}\t{Seed}\t{watch.ElapsedMilliseconds}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable(LogVariable) is { Length: > 0 } log)
        {
            lock (s_logLock)
            {
                File.AppendAllText(log, line + Environment.NewLine);
            }
        }
    }

    /// <inheritdoc cref="Check{T}"/>
    public static void Check<T1, T2>(Gen<(T1, T2)> gen, Action<T1, T2> property, long ciIterations = CiIterations, [CallerFilePath] string file = "", [CallerMemberName] string name = "")
        => Check(gen, t => property(t.Item1, t.Item2), ciIterations, null, file, name);

    /// <inheritdoc cref="Check{T}"/>
    public static void Check<T1, T2, T3>(Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property, long ciIterations = CiIterations, [CallerFilePath] string file = "", [CallerMemberName] string name = "")
        => Check(gen, t => property(t.Item1, t.Item2, t.Item3), ciIterations, null, file, name);

    /// <inheritdoc cref="Check{T}"/>
    public static void Check<T1, T2, T3, T4>(Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> property, long ciIterations = CiIterations, [CallerFilePath] string file = "", [CallerMemberName] string name = "")
        => Check(gen, t => property(t.Item1, t.Item2, t.Item3, t.Item4), ciIterations, null, file, name);

    /// <summary>A stream number stable across runs and platforms (string.GetHashCode is randomised per process).</summary>
    private static uint StreamOf(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}

/// <summary>A property that did not hold, with the case that broke it.</summary>
internal sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);
