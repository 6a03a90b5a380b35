using OpenAutoGlm.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpenAutoGlm.Cli.Inspect;

/// <summary>Renders an <see cref="InspectReport"/> as Spectre tables for people.</summary>
internal static class InspectTextRenderer
{
    public static void Render(InspectReport report, IAnsiConsole console, bool showValues)
    {
        string opsets = string.Join(", ", report.Opsets.Select(o => $"{o.Domain} {o.Version}"));
        console.WriteLine($"Model:      {report.Model}");
        console.WriteLine($"IR version: {report.IrVersion}; opsets: {(opsets.Length == 0 ? "none" : opsets)}" + (report.Producer.Length > 0 ? $"; producer: {report.Producer}" : string.Empty));
        console.WriteLine($"Nodes:      {report.NodeCount}; parameters: {Formatting.Count(report.Parameters.Count)} ({Formatting.Bytes(report.Parameters.Bytes)}) in {report.Parameters.Initializers} initializers");
        console.WriteLine();

        console.Write(ValueTable("Inputs", report.Inputs));
        console.Write(ValueTable("Outputs", report.Outputs));

        var ops = NewTable("Operators", "Op", "Count");
        ops.Columns[1].RightAligned();
        foreach (var (op, count) in report.Ops)
        {
            AddRow(ops, op, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(ops);

        if (report.UnsupportedOps.Count == 0)
        {
            console.WriteLine($"The CPU provider can run every node ({report.NodeCount}).");
        }
        else
        {
            var table = NewTable("Ops the CPU provider cannot run", "Op", "Domain", "Opset", "Nodes", "Reason");
            foreach (var u in report.UnsupportedOps)
            {
                AddRow(table, u.Op, u.Domain, u.Opset.ToString(System.Globalization.CultureInfo.InvariantCulture), NodeList(u.Nodes), u.Reason);
            }

            console.Write(table);
        }

        foreach (var error in report.ShapeInference.Errors)
        {
            console.WriteLine($"shape inference: {error}");
        }

        if (report.ShapeInference.OpsWithoutInference.Count > 0)
        {
            console.WriteLine($"ops without shape inference: {string.Join(", ", report.ShapeInference.OpsWithoutInference)}");
        }

        if (showValues)
        {
            var values = NewTable("Values (inferred)", "Name", "DType", "Shape", "Op", "Node", "Graph");
            foreach (var v in report.Values)
            {
                AddRow(values, v.Name, v.Dtype ?? v.Kind, ShapeText(v.Kind, v.Shape), v.Op, v.Node, v.Graph ?? string.Empty);
            }

            console.Write(values);
        }
        else
        {
            console.WriteLine($"{report.Values.Count} intermediate values; --values lists their inferred shapes.");
        }
    }

    private static Table ValueTable(string title, IReadOnlyList<ValueReport> rows)
    {
        var table = NewTable(title, "Name", "DType", "Shape");
        foreach (var v in rows)
        {
            AddRow(table, v.Name, v.Dtype ?? v.Kind, ShapeText(v.Kind, v.Shape));
        }

        return table;
    }

    private static string ShapeText(string kind, Core.Dim[]? shape) =>
        kind is "tensor" or "optional" ? (shape is null ? "?" : "[" + string.Join(", ", shape.Select(d => d.ToString())) + "]") : kind;

    private static string NodeList(IReadOnlyList<string> nodes) =>
        nodes.Count <= 3 ? string.Join(", ", nodes) : $"{string.Join(", ", nodes.Take(3))} (+{nodes.Count - 3} more)";

    private static Table NewTable(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(new Text(c)));
        }

        return table;
    }

    /// <summary>Adds cells as plain text: names and shapes contain '[' which markup would parse.</summary>
    private static void AddRow(Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());
}
