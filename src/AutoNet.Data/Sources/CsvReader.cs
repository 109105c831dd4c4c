using System.Text;

namespace AutoNet.Data.Sources;

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, double-quoted fields with "" for a quote and commas or line
/// breaks inside, CRLF or LF line ends, blank lines skipped. An unterminated quote or text after a closing quote is
/// a <see cref="DataSetException"/> naming the file and line.
/// </summary>
internal static class CsvReader
{
    public static List<CsvRecord> Parse(string text, string fileName)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var fieldStarted = false;
        var atFieldStart = true;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
        }

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (!(fields.Count == 1 && fields[0].Length == 0 && !fieldStarted))
            {
                records.Add(new CsvRecord(recordLine, [.. fields]));
            }

            fields.Clear();
            fieldStarted = false;
            atFieldStart = true;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && atFieldStart)
            {
                fieldStarted = true;
                atFieldStart = false;
                var quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new DataSetException(fileName, $"manifest '{fileName}', line {quoteLine}: a quoted field is never closed");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    field.Append(text[i++]);
                }

                if (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                {
                    throw new DataSetException(fileName, $"manifest '{fileName}', line {line}: unexpected text after a closing quote");
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    atFieldStart = true;
                    i++;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    i++;
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    i++;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    i++;
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            EndRecord();
        }

        return records;
    }
}
