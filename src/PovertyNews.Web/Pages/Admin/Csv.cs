using System.Text;

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
}
