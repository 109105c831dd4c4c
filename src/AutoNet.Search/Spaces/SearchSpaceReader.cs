using System.Text.Json;
using System.Text.RegularExpressions;
using AutoNet.Models.Genotypes;

namespace AutoNet.Search.Spaces;

/// <summary>
/// Reads a search space from JSON and validates all of it; a wrong file gets a
/// <see cref="SearchSpaceException"/> naming the file, the JSON path, the value and what was allowed.
/// The format (every field is checked; unknown fields are errors):
/// <code>
/// {
///   "name": "darts", "kind": "cell" | "macro" | "transfer", "description": "…",
///   "maxParams": 2000000, "maxFlops": 600000000,                     // optional bounds
///   "cell": { "blocks": 4, "ops": ["sep_conv_3x3", …],             // required for cell spaces
///             "cells": ["normal", "reduction"], "concat": "unused" | "all", "when": { "head": "cell" } },
///   "architecture":    { "&lt;name&gt;": &lt;parameter&gt;, … },              // labels arch/&lt;name&gt;
///   "hyperparameters": { "&lt;name&gt;": &lt;parameter&gt;, … },              // labels hp/&lt;name&gt;
///   "fixed": { "pretrained_weights": "weights/{backbone}.safetensors" } // settings not searched
/// }
/// parameter: { "type": "categorical", "choices": [ … ] }
///          | { "type": "int", "low": 1, "high": 8, "step": 1, "log": false }
///          | { "type": "float", "low": 0.0, "high": 0.5, "log": false }
///          | { "type": "log_float", "low": 1e-4, "high": 0.1 }
///   each may add "when": { "&lt;other name&gt;": value | [values…], … } (all must hold) and "description".
/// </code>
/// </summary>
public sealed partial class SearchSpaceReader
{
    private static readonly string[] TopFields = ["name", "kind", "description", "maxParams", "maxFlops", "cell", "architecture", "hyperparameters", "fixed"];
    private static readonly string[] CellFields = ["blocks", "ops", "cells", "concat", "when", "description"];
    private static readonly string[] ConcatRules = ["unused", "all"];
    private static readonly string[] ParameterTypes = ["categorical", "int", "float", "log_float"];
    private static readonly string[] SpaceKinds = ["cell", "macro", "transfer"];

    private readonly IReadOnlySet<string> _knownOps;

    /// <param name="knownOps">The op names a cell may use; by default every op of the models' registry (<see cref="OpNames.All"/>).</param>
    public SearchSpaceReader(IReadOnlySet<string>? knownOps = null)
    {
        _knownOps = knownOps ?? RegistryOps;
    }

    private static IReadOnlySet<string> RegistryOps { get; } = new HashSet<string>(OpNames.All, StringComparer.Ordinal);

    /// <summary>Reads and validates the space in the file at <paramref name="path"/>.</summary>
    public SearchSpace Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SearchSpaceException(path, JsonPaths.Root, $"the file cannot be read: {e.Message}", null, "a readable search-space JSON file", e);
        }

        return Parse(json, path);
    }

    /// <summary>Reads and validates a space from JSON text; <paramref name="sourceName"/> stands for the file in errors.</summary>
    public SearchSpace Parse(string json, string sourceName = "<json>")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "the document";
            throw new SearchSpaceException(sourceName, JsonPaths.Root, $"not valid JSON at {where}: {e.Message}", null, "a JSON object", e);
        }

        using (document)
        {
            return new Parser(sourceName, _knownOps).ReadSpace(document.RootElement);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ParameterName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]*$")]
    private static partial Regex SpaceName();

    private sealed class Parser(string source, IReadOnlySet<string> knownOps)
    {
        private const string NamePattern = "a lowercase name matching ^[a-z][a-z0-9_]*$";

        // Parameters as read, before their conditions are attached (conditions need every domain).
        private readonly List<Draft> _drafts = [];
        private readonly Dictionary<string, Draft> _byName = new(StringComparer.Ordinal);

        public SearchSpace ReadSpace(JsonElement root)
        {
            var top = Fields(root, JsonPaths.Root, TopFields, "a search space");
            var name = RequiredString(top, JsonPaths.Root, "name");
            if (!SpaceName().IsMatch(name))
            {
                throw Fail(JsonPaths.Child(JsonPaths.Root, "name"), "the space name is not allowed", Json(top["name"]), "a lowercase name matching ^[a-z0-9][a-z0-9_.-]*$");
            }

            var kindText = RequiredString(top, JsonPaths.Root, "kind");
            var kindIndex = Array.IndexOf(SpaceKinds, kindText);
            if (kindIndex < 0)
            {
                throw Fail(JsonPaths.Child(JsonPaths.Root, "kind"), "unknown space kind", Json(top["kind"]), OneOf(SpaceKinds));
            }

            var kind = (SearchSpaceKind)kindIndex;
            var description = OptionalString(top, JsonPaths.Root, "description");
            var maxParams = OptionalPositiveInt(top, JsonPaths.Root, "maxParams");
            var maxFlops = OptionalPositiveInt(top, JsonPaths.Root, "maxFlops");

            ReadSection(top, "architecture", DecisionRole.Architecture, SearchSpace.ArchitecturePrefix);
            if (!top.ContainsKey("hyperparameters"))
            {
                throw Fail(JsonPaths.Child(JsonPaths.Root, "hyperparameters"), "the field is missing", null, "an object of hyperparameters (optimizer, learning_rate, …)");
            }

            ReadSection(top, "hyperparameters", DecisionRole.Hyperparameter, SearchSpace.HyperparameterPrefix);
            var fixedValues = ReadFixed(top);

            var cellPath = JsonPaths.Child(JsonPaths.Root, "cell");
            CellDraft? cellDraft = null;
            if (top.TryGetValue("cell", out var cellElement))
            {
                if (kind == SearchSpaceKind.Macro)
                {
                    throw Fail(cellPath, "a macro space has no cell section", "{…}", "no 'cell' field (use kind \"cell\" or \"transfer\" to search cells)");
                }

                cellDraft = ReadCell(cellElement, cellPath);
            }
            else if (kind == SearchSpaceKind.Cell)
            {
                throw Fail(cellPath, "the field is missing", null, "a cell section {\"blocks\": B, \"ops\": [...]} for a space of kind \"cell\"");
            }

            foreach (var draft in _drafts)
            {
                draft.Conditions = ReadConditions(draft.When, JsonPaths.Child(draft.Path, "when"), draft.Name);
            }

            var cellConditions = cellDraft is null ? [] : ReadConditions(cellDraft.When, JsonPaths.Child(cellPath, "when"), null);
            CheckForCycles();

            var cell = cellDraft is null ? null : new CellSpace(cellDraft.Blocks, cellDraft.Ops, cellDraft.Cells, cellConditions, cellDraft.Concat);
            var parameters = _drafts.Select(d => d.Parameter.WithConditions(d.Conditions)).ToList();
            return new SearchSpace(name, kind, cell, parameters, fixedValues, maxParams, maxFlops, description, source);
        }

        private void ReadSection(Dictionary<string, JsonElement> top, string section, DecisionRole role, string prefix)
        {
            if (!top.TryGetValue(section, out var element))
            {
                return;
            }

            var path = JsonPaths.Child(JsonPaths.Root, section);
            foreach (var (name, spec) in Fields(element, path, null, $"an object of {section} by name"))
            {
                var itemPath = JsonPaths.Child(path, name);
                if (!ParameterName().IsMatch(name))
                {
                    throw Fail(itemPath, "the parameter name is not allowed", JsonSerializer.Serialize(name), NamePattern);
                }

                if (_byName.TryGetValue(name, out var other))
                {
                    throw Fail(itemPath, $"the name '{name}' is already used at {other.Path}", JsonSerializer.Serialize(name), "names unique across architecture and hyperparameters");
                }

                var draft = ReadParameter(spec, itemPath, prefix + name, role, name);
                _drafts.Add(draft);
                _byName.Add(name, draft);
            }
        }

        private Draft ReadParameter(JsonElement spec, string path, string label, DecisionRole role, string name)
        {
            if (spec.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "a parameter must be an object", Json(spec), "{\"type\": " + OneOf(ParameterTypes) + ", …}");
            }

            var typePath = JsonPaths.Child(path, "type");
            var typeElement = spec.TryGetProperty("type", out var t) ? t : default;
            if (typeElement.ValueKind != JsonValueKind.String)
            {
                throw Fail(typePath, typeElement.ValueKind == JsonValueKind.Undefined ? "the field is missing" : "the type must be a string", typeElement.ValueKind == JsonValueKind.Undefined ? null : Json(typeElement), OneOf(ParameterTypes));
            }

            var type = typeElement.GetString()!;
            string[] allowed = type switch
            {
                "categorical" => ["type", "choices", "when", "description"],
                "int" => ["type", "low", "high", "step", "log", "when", "description"],
                "float" => ["type", "low", "high", "log", "when", "description"],
                "log_float" => ["type", "low", "high", "when", "description"],
                _ => throw Fail(typePath, "unknown parameter type", Json(typeElement), OneOf(ParameterTypes)),
            };
            var fields = Fields(spec, path, allowed, $"a {type} parameter");
            OptionalString(fields, path, "description");
            var when = fields.TryGetValue("when", out var w) ? w : (JsonElement?)null;
            SearchParameter parameter = type switch
            {
                "categorical" => ReadCategorical(fields, path, label, role),
                "int" => ReadInt(fields, path, label, role),
                _ => ReadFloat(fields, path, label, role, log: type == "log_float" || OptionalBool(fields, path, "log")),
            };
            return new Draft(name, path, parameter, when);
        }

        private CategoricalParameter ReadCategorical(Dictionary<string, JsonElement> fields, string path, string label, DecisionRole role)
        {
            var choicesPath = JsonPaths.Child(path, "choices");
            if (!fields.TryGetValue("choices", out var element))
            {
                throw Fail(choicesPath, "the field is missing", null, "a non-empty array of distinct strings, numbers or booleans");
            }

            var choices = ReadValues(element, choicesPath, "choices");
            if (choices.Count == 0)
            {
                throw Fail(choicesPath, "a categorical parameter needs at least one choice", "[]", "a non-empty array of distinct strings, numbers or booleans");
            }

            return new CategoricalParameter(label, role, choices);
        }

        private IntParameter ReadInt(Dictionary<string, JsonElement> fields, string path, string label, DecisionRole role)
        {
            var low = RequiredInt(fields, path, "low");
            var high = RequiredInt(fields, path, "high");
            var step = fields.ContainsKey("step") ? RequiredInt(fields, path, "step") : 1;
            var log = OptionalBool(fields, path, "log");
            if (low > high)
            {
                throw Fail(JsonPaths.Child(path, "low"), "low is above high", Json(fields["low"]), $"an integer <= high ({high})");
            }

            if (step < 1)
            {
                throw Fail(JsonPaths.Child(path, "step"), "the step must be positive", Json(fields["step"]), "an integer >= 1");
            }

            if ((high - low) % step != 0)
            {
                throw Fail(JsonPaths.Child(path, "step"), $"the step does not divide high - low = {high - low}", Json(fields["step"]), $"a divisor of {high - low}, so that high is on the grid");
            }

            if (log && low < 1)
            {
                throw Fail(JsonPaths.Child(path, "low"), "a log range needs a positive low", Json(fields["low"]), "an integer >= 1 (or \"log\": false)");
            }

            if (log && step != 1)
            {
                throw Fail(JsonPaths.Child(path, "step"), "a log range cannot have a step", Json(fields["step"]), "no step (1) with \"log\": true");
            }

            return new IntParameter(label, role, low, high, step, log);
        }

        private FloatParameter ReadFloat(Dictionary<string, JsonElement> fields, string path, string label, DecisionRole role, bool log)
        {
            var low = RequiredNumber(fields, path, "low");
            var high = RequiredNumber(fields, path, "high");
            if (low > high)
            {
                throw Fail(JsonPaths.Child(path, "low"), "low is above high", Json(fields["low"]), $"a number <= high ({Json(fields["high"])})");
            }

            if (log && low <= 0)
            {
                throw Fail(JsonPaths.Child(path, "low"), "a log range needs a positive low", Json(fields["low"]), "a number > 0 (log scale)");
            }

            return new FloatParameter(label, role, low, high, log);
        }

        private CellDraft ReadCell(JsonElement element, string path)
        {
            var fields = Fields(element, path, CellFields, "a cell section");
            OptionalString(fields, path, "description");
            var blocksPath = JsonPaths.Child(path, "blocks");
            var blocks = RequiredInt(fields, path, "blocks");
            if (blocks < 1 || blocks > CellSpace.MaxBlocks)
            {
                throw Fail(blocksPath, "bad number of blocks B", Json(fields["blocks"]), $"an integer from 1 to {CellSpace.MaxBlocks} (DARTS uses 4, NASNet 5)");
            }

            var opsPath = JsonPaths.Child(path, "ops");
            if (!fields.TryGetValue("ops", out var opsElement))
            {
                throw Fail(opsPath, "the field is missing", null, "a non-empty array of op names");
            }

            var ops = ReadNames(opsElement, opsPath, "op");
            for (var i = 0; i < ops.Count; i++)
            {
                if (!knownOps.Contains(ops[i]))
                {
                    throw Fail(JsonPaths.Item(opsPath, i), "unknown op name", JsonSerializer.Serialize(ops[i]), OneOf(knownOps.Order(StringComparer.Ordinal)));
                }
            }

            IReadOnlyList<string> cells = CellSpace.KnownCells;
            if (fields.TryGetValue("cells", out var cellsElement))
            {
                var cellsPath = JsonPaths.Child(path, "cells");
                cells = ReadNames(cellsElement, cellsPath, "cell");
                for (var i = 0; i < cells.Count; i++)
                {
                    if (!CellSpace.KnownCells.Contains(cells[i]))
                    {
                        throw Fail(JsonPaths.Item(cellsPath, i), "unknown cell", JsonSerializer.Serialize(cells[i]), OneOf(CellSpace.KnownCells));
                    }
                }
            }

            var concat = CellConcat.Unused;
            if (fields.TryGetValue("concat", out var concatElement))
            {
                var rule = Array.IndexOf(ConcatRules, concatElement.ValueKind == JsonValueKind.String ? concatElement.GetString() : null);
                concat = rule >= 0 ? (CellConcat)rule : throw Fail(JsonPaths.Child(path, "concat"), "unknown concat rule", Json(concatElement), OneOf(ConcatRules) + " (the unused block outputs, as NASNet, or all of them, as DARTS)");
            }

            return new CellDraft((int)blocks, ops, cells, concat, fields.TryGetValue("when", out var when) ? when : null);
        }

        private List<KeyValuePair<string, ParameterValue>> ReadFixed(Dictionary<string, JsonElement> top)
        {
            var result = new List<KeyValuePair<string, ParameterValue>>();
            if (!top.TryGetValue("fixed", out var element))
            {
                return result;
            }

            var path = JsonPaths.Child(JsonPaths.Root, "fixed");
            foreach (var (name, value) in Fields(element, path, null, "an object of fixed settings by name"))
            {
                var itemPath = JsonPaths.Child(path, name);
                if (!ParameterName().IsMatch(name))
                {
                    throw Fail(itemPath, "the setting name is not allowed", JsonSerializer.Serialize(name), NamePattern);
                }

                if (_byName.TryGetValue(name, out var other))
                {
                    throw Fail(itemPath, $"the name '{name}' is already a searched parameter at {other.Path}", JsonSerializer.Serialize(name), "names unique across architecture, hyperparameters and fixed");
                }

                var parsed = ParameterValue.FromJson(value) ?? throw Fail(itemPath, "a fixed setting must be a single value", Json(value), "a string, number or boolean");
                result.Add(new(name, parsed));
            }

            return result;
        }

        // owner is the parameter carrying the condition (null for the cell section).
        private List<ParameterCondition> ReadConditions(JsonElement? when, string path, string? owner)
        {
            var conditions = new List<ParameterCondition>();
            if (when is null)
            {
                return conditions;
            }

            var fields = Fields(when.Value, path, null, "an object of parameter name → value or [values]");
            if (fields.Count == 0)
            {
                throw Fail(path, "a condition needs at least one parameter", "{}", "{\"<parameter name>\": value or [values], …}");
            }

            foreach (var (name, element) in fields)
            {
                var itemPath = JsonPaths.Child(path, name);
                if (name == owner)
                {
                    throw Fail(itemPath, "a parameter cannot depend on itself", JsonSerializer.Serialize(name), "another parameter's name");
                }

                if (!_byName.TryGetValue(name, out var target))
                {
                    throw Fail(itemPath, "the condition refers to an unknown parameter", JsonSerializer.Serialize(name), OneOf(_byName.Keys));
                }

                if (!target.Parameter.IsDiscrete)
                {
                    throw Fail(itemPath, $"the condition refers to a continuous parameter ({target.Parameter.DescribeDomain()})", JsonSerializer.Serialize(name), "a categorical or int parameter");
                }

                var values = element.ValueKind == JsonValueKind.Array ? ReadValues(element, itemPath, "values") : [ReadValue(element, itemPath)];
                if (values.Count == 0)
                {
                    throw Fail(itemPath, "a condition needs at least one value", "[]", target.Parameter.DescribeDomain());
                }

                for (var i = 0; i < values.Count; i++)
                {
                    if (!target.Parameter.Contains(values[i]))
                    {
                        var valuePath = element.ValueKind == JsonValueKind.Array ? JsonPaths.Item(itemPath, i) : itemPath;
                        throw Fail(valuePath, $"'{name}' never has this value", values[i].ToJson(), target.Parameter.DescribeDomain());
                    }
                }

                conditions.Add(new ParameterCondition(target.Parameter.Label, values));
            }

            return conditions;
        }

        private void CheckForCycles()
        {
            // Depth-first search over "depends on" edges; a grey node reached again closes a cycle.
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new List<Draft>();
            foreach (var draft in _drafts)
            {
                Visit(draft);
            }

            void Visit(Draft draft)
            {
                if (state.TryGetValue(draft.Name, out var s))
                {
                    if (s == 1)
                    {
                        var start = stack.FindIndex(d => d.Name == draft.Name);
                        var cycle = string.Join(" → ", stack.Skip(start).Select(d => d.Name).Append(draft.Name));
                        var last = stack[^1];
                        throw Fail(JsonPaths.Child(JsonPaths.Child(last.Path, "when"), draft.Name), $"the conditions form a cycle: {cycle}", JsonSerializer.Serialize(draft.Name), "conditions that do not depend on each other in a circle");
                    }

                    return;
                }

                state[draft.Name] = 1;
                stack.Add(draft);
                foreach (var condition in draft.Conditions)
                {
                    Visit(_byName[condition.Label[(condition.Label.IndexOf('/', StringComparison.Ordinal) + 1)..]]);
                }

                stack.RemoveAt(stack.Count - 1);
                state[draft.Name] = 2;
            }
        }

        private List<ParameterValue> ReadValues(JsonElement element, string path, string what)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Fail(path, $"the {what} must be an array", Json(element), "an array of strings, numbers or booleans");
            }

            var values = new List<ParameterValue>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemPath = JsonPaths.Item(path, index++);
                var value = ReadValue(item, itemPath);
                if (values.Count > 0 && !SameKind(values[0], value))
                {
                    throw Fail(itemPath, $"the {what} mix kinds of values", Json(item), $"{ParameterValue.KindName(values[0].Kind)} like the first one");
                }

                if (values.Contains(value) || (value.IsNumeric && values.Any(v => v.IsNumeric && v.AsDouble().Equals(value.AsDouble()))))
                {
                    throw Fail(itemPath, $"duplicate value in the {what}", Json(item), "distinct values");
                }

                values.Add(value);
            }

            // Ints written among floats ([0.5, 1]) are floats.
            return values.Any(v => v.Kind == ValueKind.Float) ? [.. values.Select(v => ParameterValue.Of(v.AsDouble()))] : values;
        }

        private ParameterValue ReadValue(JsonElement element, string path) =>
            ParameterValue.FromJson(element) ?? throw Fail(path, "not a single value", Json(element), "a string, a finite number or a boolean");

        private static bool SameKind(ParameterValue a, ParameterValue b) => a.Kind == b.Kind || (a.IsNumeric && b.IsNumeric);

        private List<string> ReadNames(JsonElement element, string path, string what)
        {
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
            {
                throw Fail(path, $"the {what}s must be a non-empty array of names", Json(element), $"a non-empty array of distinct {what} names");
            }

            var names = new List<string>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemPath = JsonPaths.Item(path, index++);
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw Fail(itemPath, $"a {what} name must be a string", Json(item), $"a {what} name");
                }

                var name = item.GetString()!;
                if (names.Contains(name))
                {
                    throw Fail(itemPath, $"duplicate {what} name", Json(item), $"distinct {what} names");
                }

                names.Add(name);
            }

            return names;
        }

        // The properties of an object, in order, refusing duplicates and (when allowed is given) unknown fields.
        private Dictionary<string, JsonElement> Fields(JsonElement element, string path, string[]? allowed, string what)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, $"expected {what}", Json(element), "a JSON object");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var fieldPath = JsonPaths.Child(path, property.Name);
                if (allowed is not null && !allowed.Contains(property.Name))
                {
                    throw Fail(fieldPath, $"unknown field '{property.Name}' in {what}", JsonSerializer.Serialize(property.Name), "one of the fields " + string.Join(", ", allowed));
                }

                if (!fields.TryAdd(property.Name, property.Value))
                {
                    throw Fail(fieldPath, $"duplicate name '{property.Name}'", JsonSerializer.Serialize(property.Name), "each name once per object");
                }
            }

            return fields;
        }

        private string RequiredString(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (!fields.TryGetValue(name, out var element))
            {
                throw Fail(JsonPaths.Child(path, name), "the field is missing", null, "a string");
            }

            return element.ValueKind == JsonValueKind.String && element.GetString()!.Length > 0
                ? element.GetString()!
                : throw Fail(JsonPaths.Child(path, name), "expected a non-empty string", Json(element), "a string");
        }

        private string? OptionalString(Dictionary<string, JsonElement> fields, string path, string name) =>
            fields.ContainsKey(name) ? RequiredString(fields, path, name) : null;

        private bool OptionalBool(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (!fields.TryGetValue(name, out var element))
            {
                return false;
            }

            return element.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail(JsonPaths.Child(path, name), "expected a boolean", Json(element), "true or false"),
            };
        }

        private long RequiredInt(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (!fields.TryGetValue(name, out var element))
            {
                throw Fail(JsonPaths.Child(path, name), "the field is missing", null, "an integer");
            }

            return ParameterValue.FromJson(element) is { Kind: ValueKind.Int } value
                ? value.AsInt64()
                : throw Fail(JsonPaths.Child(path, name), "expected an integer", Json(element), "an integer (no decimal point)");
        }

        private long? OptionalPositiveInt(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (!fields.ContainsKey(name))
            {
                return null;
            }

            var value = RequiredInt(fields, path, name);
            return value > 0 ? value : throw Fail(JsonPaths.Child(path, name), "a bound must be positive", Json(fields[name]), "an integer > 0");
        }

        private double RequiredNumber(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (!fields.TryGetValue(name, out var element))
            {
                throw Fail(JsonPaths.Child(path, name), "the field is missing", null, "a number");
            }

            return ParameterValue.FromJson(element) is { IsNumeric: true } value
                ? value.AsDouble()
                : throw Fail(JsonPaths.Child(path, name), "expected a number", Json(element), "a finite number");
        }

        private static string Json(JsonElement element) => element.GetRawText();

        private static string Json(JsonElement? element) => element is { } e ? e.GetRawText() : "nothing";

        private static string OneOf(IEnumerable<string> names) => "one of " + string.Join(", ", names.Select(n => JsonSerializer.Serialize(n)));

        private SearchSpaceException Fail(string path, string problem, string? value, string? expected) =>
            new(source, path, problem, value, expected);
    }

    private sealed class Draft(string name, string path, SearchParameter parameter, JsonElement? when)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public SearchParameter Parameter { get; } = parameter;

        public JsonElement? When { get; } = when;

        public List<ParameterCondition> Conditions { get; set; } = [];
    }

    private sealed record CellDraft(int Blocks, List<string> Ops, IReadOnlyList<string> Cells, CellConcat Concat, JsonElement? When);
}
