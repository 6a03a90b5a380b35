using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OpenAutoGlm.Backends.Cpu;
using OpenAutoGlm.Cli.Npy;
using OpenAutoGlm.Cli.Running;
using OpenAutoGlm.Core;
using OpenAutoGlm.Onnx;
using OpenAutoGlm.Optimizer;
using OpenAutoGlm.Runtime;

namespace OpenAutoGlm.Benchmarks;

/// <summary>
/// In-process A/B of a whole model: on this shared machine single timings drift by tens of percent within minutes, so
/// two variants are compared by alternating runs in one process, each variant's median taken per block of runs.
/// <code>
/// dotnet run -c Release --project benchmarks/Benchmarks -- ab MODEL.onnx [--input NAME=FILE.npy]... [--batch N]
///     [--threads N] [--blocks N] [--runs N] [--warmup N] [--ops]
///     [--set Namespace.Class.Property=true|false]... [--toggle Namespace.Class.Property]... | [--session-toggle Namespace.Class.Property]
/// </code>
/// <c>--toggle</c> names an internal static bool (or bool?) switch (the kernels' "lets benchmarks compare" properties): A runs with
/// it false, B with it true, one after the other; repeated, all the named switches flip together. <c>--set T.P=false</c>
/// fixes a switch for both variants (before the sessions are made). <c>--session-toggle</c> instead makes two sessions, A with the switch
/// false while it is optimized and B with it true (an optimizer pass's switch), and alternates between them. Without
/// either, A and B are the same session (the noise floor). Inputs are read and generated as <c>autoglm bench</c> does
/// (.npy files through the CLI's reader; the others seeded, with a symbolic leading dim set to <c>--batch</c>).
/// <c>--ops</c> adds each op type's per-run median under A and B (the profiler on).
/// </summary>
internal static class ModelAb
{
    public static int Run(string[] args)
    {
        try
        {
            return RunChecked(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or IOException or AutoGlmException)
        {
            Console.Error.WriteLine($"ab: {e.Message}");
            return 2;
        }
    }

    private static int RunChecked(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith('-'))
        {
            Console.Error.WriteLine("usage: ab MODEL.onnx [--input NAME=FILE.npy]... [--batch N] [--threads N] [--blocks N] [--runs N] [--warmup N] [--ops] [--set T.P=true|false]... [--toggle T.P]... | [--session-toggle T.P]");
            return 2;
        }

        string model = args[0];
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        int batch = 1, threads = 2, blocks = 3, runs = 40, warmup = 5;
        bool ops = false;
        var toggles = new List<string>();
        string? sessionToggle = null;
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--input":
                    string spec = Next();
                    int eq = spec.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--input {spec}: expected NAME=FILE.npy");
                    }

                    files[spec[..eq]] = spec[(eq + 1)..];
                    break;
                case "--batch": batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--blocks": blocks = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--ops": ops = true; break;
                case "--toggle": toggles.Add(Next()); break;
                case "--set":
                    string set = Next();
                    int at = set.IndexOf('=', StringComparison.Ordinal);
                    if (at <= 0 || !bool.TryParse(set[(at + 1)..], out bool value))
                    {
                        throw new ArgumentException($"--set {set}: expected Namespace.Class.Property=true|false");
                    }

                    Switch(set[..at]).SetValue(null, value);
                    break;
                case "--session-toggle": sessionToggle = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        var options = new SessionOptions { Providers = [new CpuExecutionProvider()], IntraOpThreads = threads, OptimizationLevel = OptimizationLevel.All };
        InferenceSession sessionA, sessionB;
        if (sessionToggle is not null)
        {
            var property = Switch(sessionToggle);
            property.SetValue(null, false);
            sessionA = InferenceSession.Create(OnnxModelLoader.Load(model), options);
            property.SetValue(null, true);
            sessionB = InferenceSession.Create(OnnxModelLoader.Load(model), options);
        }
        else
        {
            sessionA = sessionB = InferenceSession.Create(OnnxModelLoader.Load(model), options);
        }

        var runSwitches = toggles.Select(Switch).ToList();
        var initial = runSwitches.Select(p => p.GetValue(null)).ToList();
        var feeds = Feeds(sessionA, files, batch);

        // Bindings, as autoglm bench runs: no output arrays per run (the GC leaves large ones uncollected for a while).
        var bindingA = sessionA.CreateBinding();
        var bindingB = ReferenceEquals(sessionA, sessionB) ? bindingA : sessionB.CreateBinding();
        foreach (var (name, value) in feeds)
        {
            bindingA.BindInput(name, value);
            bindingB.BindInput(name, value);
        }

        for (int i = 0; i < warmup; i++)
        {
            sessionA.Run(bindingA);
            sessionB.Run(bindingB);
        }

        var perOp = new Dictionary<(bool B, string Op), List<double>>();
        string shapes = string.Join(", ", feeds.Select(kv => kv.Key + (kv.Value is Tensor t ? t.ShapeString : string.Empty)));
        Console.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(model)))} ({shapes}), {threads} threads; A: {(toggles.Count > 0 ? string.Join(" + ", toggles) : sessionToggle) ?? "same session"} off, B: on; median ms per block of {runs} runs each");
        for (int b = 0; b < blocks; b++)
        {
            var times = new[] { new List<double>(), new List<double>() };
            for (int r = 0; r < 2 * runs; r++)
            {
                bool on = (r & 1) == 1;
                foreach (var property in runSwitches)
                {
                    property.SetValue(null, on);
                }

                var session = on ? sessionB : sessionA;
                session.Profiler.IsEnabled = ops;
                long t0 = Stopwatch.GetTimestamp();
                session.Run(on ? bindingB : bindingA);
                times[on ? 1 : 0].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                session.Profiler.IsEnabled = false;
                foreach (var profile in session.Profiler.Drain())
                {
                    foreach (var group in profile.Nodes.Where(n => n.Depth == 0).GroupBy(n => n.OpType))
                    {
                        var key = (on, group.Key);
                        if (!perOp.TryGetValue(key, out var list))
                        {
                            perOp[key] = list = [];
                        }

                        list.Add(group.Sum(n => n.Elapsed.TotalMilliseconds));
                    }
                }
            }

            double a = Median(times[0]), bm = Median(times[1]);
            Console.WriteLine($"block {b}: A {a:F3}  B {bm:F3}  B/A {bm / a:F3}");
        }

        for (int i = 0; i < runSwitches.Count; i++)
        {
            runSwitches[i].SetValue(null, initial[i]);
        }

        foreach (var op in perOp.Keys.Select(k => k.Op).Distinct().OrderByDescending(o => perOp.TryGetValue((false, o), out var l) ? Median(l) : 0))
        {
            string Cell(bool on) => perOp.TryGetValue((on, op), out var l) ? Median(l).ToString("F3", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"  {op,-28} A {Cell(false),9}  B {Cell(true),9}");
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    /// <summary>The static bool property Namespace.Class.Property of an OpenAutoGlm assembly (internal ones included).</summary>
    private static PropertyInfo Switch(string name)
    {
        int dot = name.LastIndexOf('.');
        string typeName = dot > 0 ? name[..dot] : throw new ArgumentException($"{name}: expected Namespace.Class.Property");
        var assemblies = new[] { typeof(CpuExecutionProvider).Assembly, typeof(PassManager).Assembly, typeof(InferenceSession).Assembly, typeof(Tensor).Assembly };
        var type = assemblies.Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null)
            ?? throw new ArgumentException($"{name}: no type {typeName} in {string.Join(", ", assemblies.Select(a => a.GetName().Name))}");
        var property = type.GetProperty(name[(dot + 1)..], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        return property is { PropertyType: var pt } && (pt == typeof(bool) || pt == typeof(bool?)) && property.CanWrite
            ? property
            : throw new ArgumentException($"{name}: {typeName} has no settable static bool (or bool?) property {name[(dot + 1)..]}");
    }

    /// <summary>The given .npy files (read as <c>autoglm</c> reads them), the other inputs seeded as <c>autoglm bench</c> makes them.</summary>
    private static Dictionary<string, DataValue> Feeds(InferenceSession session, Dictionary<string, string> files, int batch)
    {
        var feeds = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        foreach (var (name, path) in files)
        {
            if (!session.Inputs.Any(i => i.Name == name))
            {
                throw new ArgumentException($"--input {name}: the model's inputs are {string.Join(", ", session.Inputs.Select(i => i.Name))}");
            }

            feeds[name] = NpyFile.Read(path);
        }

        for (int i = 0; i < session.Inputs.Count; i++)
        {
            var input = session.Inputs[i];
            if (!feeds.ContainsKey(input.Name))
            {
                feeds[input.Name] = RandomInputs.Create(input, i, seed: 1, batch);
            }
        }

        return feeds;
    }
}
