using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

/// <summary>Small spaces written inline, parsed the way users' files are.</summary>
internal static class TestSpaces
{
    public const string Conditional = """
        {
          "name": "small",
          "kind": "macro",
          "architecture": {
            "depth": {"type": "int", "low": 1, "high": 3},
            "wide": {"type": "categorical", "choices": [false, true], "when": {"depth": [2, 3]}}
          },
          "hyperparameters": {
            "optimizer": {"type": "categorical", "choices": ["sgd", "adamw"]},
            "momentum": {"type": "categorical", "choices": [0.9, 0.95], "when": {"optimizer": "sgd"}},
            "nesterov": {"type": "categorical", "choices": [false, true], "when": {"momentum": 0.95}},
            "batch_size": {"type": "int", "low": 32, "high": 128, "step": 32}
          }
        }
        """;

    public static SearchSpace Parse(string json) => new SearchSpaceReader().Parse(json, "test.json");

    public static SearchSpace Shipped(string name) => SearchSpaceCatalog.Default.Resolve(name);
}
