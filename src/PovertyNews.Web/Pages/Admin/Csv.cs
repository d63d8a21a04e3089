using System.Text;
using Microsoft.Net.Http.Headers;

namespace PovertyNews.Web.Pages.Admin;

/// <summary>RFC 4180 rows, with spreadsheet formulas defused: a cell starting with = + - @ would run in Excel.</summary>
public static class Csv
{
    /// <summary>UTF-8's byte-order mark, which Excel needs to read a CSV file's Chinese.</summary>
    public static byte[] ByteOrderMark => Encoding.UTF8.GetPreamble();

    public static void Row(StringBuilder into, params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                into.Append(',');
            }
            var cell = cells[i] ?? "";
            if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                cell = "'" + cell;
            }
            if (cell.AsSpan().IndexOfAny("\",\r\n") >= 0)
            {
                cell = "\"" + cell.Replace("\"", "\"\"") + "\"";
            }
            into.Append(cell);
        }
        into.Append("\r\n");
    }

    /// <summary>
    /// Streams a whole file as the response: a download named <paramref name="fileName"/>, the byte-order mark, the
    /// header row, then the rows in chunks of about 32 KB, so an export of any length never sits in memory.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, string fileName, string?[] header,
        IAsyncEnumerable<string?[]> rows, CancellationToken ct)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
        await response.Body.WriteAsync(ByteOrderMark, ct);
        var csv = new StringBuilder();
        Row(csv, header);
        await foreach (var cells in rows.WithCancellation(ct))
        {
            Row(csv, cells);
            if (csv.Length > 32_000)
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), ct);
                csv.Clear();
            }
        }
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), ct);
    }
}
