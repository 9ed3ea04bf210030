using System.Buffers.Binary;

namespace AuthKit.Jwt.Internal;

/// <summary>Registered claim and header names, as interned strings and UTF-8, and the one-bit codes the reader dispatches on.</summary>
internal static class JwtClaimNames
{
    public const int IssBit = 1 << 0;
    public const int SubBit = 1 << 1;
    public const int AudBit = 1 << 2;
    public const int ExpBit = 1 << 3;
    public const int NbfBit = 1 << 4;
    public const int IatBit = 1 << 5;
    public const int JtiBit = 1 << 6;
    public const int ScopeBit = 1 << 7;
    public const int ClientIdBit = 1 << 8;
    public const int NameBit = 1 << 9;
    public const int RoleBit = 1 << 10;
    public const int EmailBit = 1 << 11;

    private const int IssCode = 'i' | ('s' << 8) | ('s' << 16);
    private const int SubCode = 's' | ('u' << 8) | ('b' << 16);
    private const int AudCode = 'a' | ('u' << 8) | ('d' << 16);
    private const int ExpCode = 'e' | ('x' << 8) | ('p' << 16);
    private const int NbfCode = 'n' | ('b' << 8) | ('f' << 16);
    private const int IatCode = 'i' | ('a' << 8) | ('t' << 16);
    private const int JtiCode = 'j' | ('t' << 8) | ('i' << 16);
    private const uint NameCode = 'n' | ('a' << 8) | ('m' << 16) | ((uint)'e' << 24);
    private const uint RoleCode = 'r' | ('o' << 8) | ('l' << 16) | ((uint)'e' << 24);

    /// <summary>
    /// The bit and interned name of a well-known claim from its raw (unescaped) UTF-8 name, in one switch on the length and
    /// the bytes; 0 and <see langword="null"/> for any other name.
    /// </summary>
    public static int Known(ReadOnlySpan<byte> name, out string? known)
    {
        switch (name.Length)
        {
            case 3:
                switch (name[0] | (name[1] << 8) | (name[2] << 16))
                {
                    case IssCode: known = Iss; return IssBit;
                    case SubCode: known = Sub; return SubBit;
                    case AudCode: known = Aud; return AudBit;
                    case ExpCode: known = Exp; return ExpBit;
                    case NbfCode: known = Nbf; return NbfBit;
                    case IatCode: known = Iat; return IatBit;
                    case JtiCode: known = Jti; return JtiBit;
                }

                break;
            case 4:
                switch (BinaryPrimitives.ReadUInt32LittleEndian(name))
                {
                    case NameCode: known = Name; return NameBit;
                    case RoleCode: known = Role; return RoleBit;
                }

                break;
            case 5:
                if (name.SequenceEqual(ScopeUtf8))
                {
                    known = Scope;
                    return ScopeBit;
                }

                if (name.SequenceEqual(EmailUtf8))
                {
                    known = Email;
                    return EmailBit;
                }

                break;
            case 9:
                if (name.SequenceEqual(ClientIdUtf8))
                {
                    known = ClientId;
                    return ClientIdBit;
                }

                break;
        }

        known = null;
        return 0;
    }

    /// <summary>The same for a name that was escaped in the JSON (<c>"\u0065xp"</c> is still <c>exp</c>), once unescaped.</summary>
    public static int Known(string name, out string known)
    {
        switch (name)
        {
            case Iss: known = Iss; return IssBit;
            case Sub: known = Sub; return SubBit;
            case Aud: known = Aud; return AudBit;
            case Exp: known = Exp; return ExpBit;
            case Nbf: known = Nbf; return NbfBit;
            case Iat: known = Iat; return IatBit;
            case Jti: known = Jti; return JtiBit;
            case Scope: known = Scope; return ScopeBit;
            case ClientId: known = ClientId; return ClientIdBit;
            case Name: known = Name; return NameBit;
            case Role: known = Role; return RoleBit;
            case Email: known = Email; return EmailBit;
            default: known = name; return 0;
        }
    }

    public const string Iss = "iss";
    public const string Sub = "sub";
    public const string Aud = "aud";
    public const string Exp = "exp";
    public const string Nbf = "nbf";
    public const string Iat = "iat";
    public const string Jti = "jti";
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string Name = "name";
    public const string Role = "role";
    public const string Email = "email";

    /// <summary>The claim value type of a JSON object claim (the one Microsoft.IdentityModel uses).</summary>
    public const string JsonValueType = "JSON";

    /// <summary>The claim value type of a nested JSON array claim.</summary>
    public const string JsonArrayValueType = "JSON_ARRAY";

    public static ReadOnlySpan<byte> IssUtf8 => "iss"u8;
    public static ReadOnlySpan<byte> SubUtf8 => "sub"u8;
    public static ReadOnlySpan<byte> AudUtf8 => "aud"u8;
    public static ReadOnlySpan<byte> ExpUtf8 => "exp"u8;
    public static ReadOnlySpan<byte> NbfUtf8 => "nbf"u8;
    public static ReadOnlySpan<byte> IatUtf8 => "iat"u8;
    public static ReadOnlySpan<byte> JtiUtf8 => "jti"u8;
    public static ReadOnlySpan<byte> ScopeUtf8 => "scope"u8;
    public static ReadOnlySpan<byte> ClientIdUtf8 => "client_id"u8;
    public static ReadOnlySpan<byte> NameUtf8 => "name"u8;
    public static ReadOnlySpan<byte> RoleUtf8 => "role"u8;
    public static ReadOnlySpan<byte> EmailUtf8 => "email"u8;
}
