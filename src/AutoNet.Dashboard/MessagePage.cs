using System.Text.Encodings.Web;

namespace AutoNet.Dashboard;

/// <summary>A page that only says something (an error, where the jobs are), in the dashboard's look; the text is encoded here.</summary>
internal static class MessagePage
{
    public static string Render(string title, string message, bool isError)
    {
        var encoder = HtmlEncoder.Default;
        var paragraph = isError ? $"""<p class="error" role="alert">{encoder.Encode(message)}</p>""" : $"<p>{encoder.Encode(message)}</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{encoder.Encode(title)} · AutoNet dashboard</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/app.css"></head>
            <body><header class="top"><a href="/">AutoNet</a></header>
            <main><h1>{encoder.Encode(title)}</h1>{paragraph}<p><a href="/">All experiments</a></p></main></body></html>
            """;
    }
}
