namespace Alquimia.Examples.Ecommerce;

/// <summary>The words the generated shop is made of: people's names, cities with their states, categories and their products.</summary>
internal static class ShopVocabulary
{
    public static readonly string[] FirstNames =
        ["Ana", "Bruno", "Carla", "Diego", "Elisa", "Fábio", "Gabriela", "Heitor", "Isabela", "João", "Karina", "Lucas", "Marina", "Otávio", "Paula", "Rafael", "Sofia", "Tiago"];

    public static readonly string[] LastNames =
        ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Costa", "Ribeiro", "Almeida", "Carvalho", "Gomes", "Martins"];

    /// <summary>Cities and their states (UF); some states have two cities, so that a move may keep the state.</summary>
    public static readonly (string Cidade, string Estado)[] Cities =
    [
        ("São Paulo", "SP"), ("Campinas", "SP"), ("Rio de Janeiro", "RJ"), ("Niterói", "RJ"), ("Belo Horizonte", "MG"), ("Uberlândia", "MG"),
        ("Curitiba", "PR"), ("Porto Alegre", "RS"), ("Florianópolis", "SC"), ("Salvador", "BA"), ("Recife", "PE"), ("Fortaleza", "CE"),
        ("Goiânia", "GO"), ("Brasília", "DF"), ("Manaus", "AM"), ("Belém", "PA"),
    ];

    /// <summary>Each category with the kinds of product it sells and their price range in reais.</summary>
    public static readonly (string Categoria, string[] Itens, decimal MinPreco, decimal MaxPreco)[] Categories =
    [
        ("Eletrônicos", ["Fone de ouvido", "Carregador USB-C", "Caixa de som", "Mouse sem fio"], 39.90m, 899.90m),
        ("Casa", ["Jogo de toalhas", "Luminária", "Panela antiaderente", "Garrafa térmica"], 29.90m, 349.90m),
        ("Moda", ["Camiseta", "Tênis de corrida", "Mochila", "Jaqueta"], 49.90m, 499.90m),
        ("Livros", ["Romance", "Livro de receitas", "Guia de viagem", "HQ"], 19.90m, 129.90m),
        ("Esportes", ["Bola de futebol", "Tapete de ioga", "Halteres", "Squeeze"], 24.90m, 399.90m),
        ("Beleza", ["Perfume", "Protetor solar", "Hidratante", "Kit de maquiagem"], 19.90m, 299.90m),
    ];

    public static readonly string[] PaymentMethods = ["pix", "cartao", "boleto"];
}
