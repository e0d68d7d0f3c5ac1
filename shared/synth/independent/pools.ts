// The independent stream's own name, street and number pools. Written apart
// from shared/synth/data (the project's simulator) on purpose: a rule tuned
// to one pool's names must show its worth on names it never saw. Mostly
// communities the project's pools leave out (Eritrean, Afghan, Kurdish,
// Albanian, Lithuanian, Bulgarian, Sierra Leonean, Congolese, Filipino,
// Colombian, Iranian, Nepali, Ukrainian, Sinhalese), and British names of
// other generations than the project's. Data only.

export type Community = {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  /** Share of London households drawn from this community, in any unit. */
  weight: number;
};

export const COMMUNITIES: Readonly<Record<string, Community>> = {
  british: {
    female: ['Jennifer', 'Kayleigh', 'Danielle', 'Leanne', 'Gemma', 'Nicola', 'Joanne', 'Tracey', 'Donna', 'Paula', 'Christine', 'Alexandra', 'Rebekah', 'Katie', 'Natasha', 'Zoe', 'Louise', 'Kimberley', 'Jacqueline', 'Theresa', 'Bernadette', 'Carolyn', 'Denise', 'Geraldine', 'Hayley', 'Lindsey', 'Marion', 'Rosalind', 'Shelley', 'Vivienne'],
    male: ['Nathan', 'Craig', 'Darren', 'Wayne', 'Lee', 'Stuart', 'Dean', 'Jason', 'Gary', 'Kieran', 'Bradley', 'Ashley', 'Jamie', 'Anthony', 'Christopher', 'Nicholas', 'Frederick', 'Alfie', 'Reece', 'Terence', 'Barrington', 'Clifford', 'Duncan', 'Graham', 'Howard', 'Leslie', 'Malcolm', 'Neville', 'Roland', 'Trevor'],
    family: ['Pearce', 'Whitfield', 'Hargreaves', 'Ashworth', 'Bradshaw', 'Cartwright', 'Dunmore', 'Fairweather', 'Goodall', 'Hollis', 'Kettering', 'Lockwood', 'Marsden', 'Nettleton', 'Oakley', 'Pritchard', 'Rowbotham', 'Sheldrake', 'Tennant', 'Underwood', 'Waring', 'Yardley', 'Blackwood', 'Colquhoun',
      'Attwood', 'Birchall', 'Crossley', 'Dewhurst', 'Eastwood', 'Fenwick', 'Greenhalgh', 'Haworth', 'Illingworth', 'Jessop', 'Kershaw', 'Lomax', 'Mellor', 'Nuttall', 'Ormerod', 'Pickup', 'Ramsbottom', 'Sutcliffe', 'Thackeray', 'Uttley', 'Verity', 'Whittaker', 'Ackroyd', 'Bamford', 'Catterall', 'Duckworth', 'Entwistle', 'Farrimond', 'Gaskell', 'Holroyd'],
    weight: 30,
  },
  eritrean: {
    female: ['Senait', 'Helen', 'Selam', 'Mebrat', 'Freweini', 'Luwam', 'Yordanos', 'Tsega', 'Winta', 'Saba'],
    male: ['Tesfay', 'Yonas', 'Filmon', 'Dawit', 'Mehari', 'Berhane', 'Kidane', 'Samuel', 'Habtom', 'Amanuel'],
    family: ['Tesfamariam', 'Ghebremedhin', 'Haile', 'Tekle', 'Weldemichael', 'Berhe', 'Gebreyesus', 'Kahsay', 'Asfaha', 'Negassi'],
    weight: 4,
  },
  afghan: {
    female: ['Aisha', 'Mariam', 'Zarghona', 'Farishta', 'Shabnam', 'Nargis', 'Parwana', 'Frozan', 'Malalai', 'Soraya'],
    male: ['Ahmad', 'Wahid', 'Farid', 'Najib', 'Jawad', 'Habib', 'Rahim', 'Zabihullah', 'Mirwais', 'Sayed'],
    family: ['Ahmadzai', 'Popal', 'Stanekzai', 'Hakimi', 'Noori', 'Sultani', 'Rahimi', 'Karimi', 'Wardak', 'Sadat'],
    weight: 4,
  },
  kurdish: {
    female: ['Rojda', 'Berfin', 'Shilan', 'Nazdar', 'Hevin', 'Dilan', 'Avin', 'Zilan'],
    male: ['Rebaz', 'Karwan', 'Aram', 'Dilshad', 'Hiwa', 'Serhat', 'Baran', 'Soran'],
    family: ['Barzani', 'Talabani', 'Hawrami', 'Zebari', 'Amedi', 'Dosky', 'Jaff', 'Mukriyani'],
    weight: 3,
  },
  albanian: {
    female: ['Arta', 'Blerta', 'Drita', 'Elona', 'Fatjona', 'Jonida', 'Mirela', 'Valbona', 'Anila'],
    male: ['Arben', 'Besnik', 'Dritan', 'Ermal', 'Fatmir', 'Gentian', 'Ilir', 'Klodian', 'Luan'],
    family: ['Hoxha', 'Krasniqi', 'Berisha', 'Gashi', 'Shehu', 'Kelmendi', 'Dervishi', 'Leka', 'Morina'],
    weight: 4,
  },
  lithuanian: {
    female: ['Ieva', 'Rasa', 'Jurgita', 'Vaida', 'Egle', 'Laima', 'Ruta', 'Giedre'],
    male: ['Tomas', 'Mantas', 'Darius', 'Vytautas', 'Algirdas', 'Rokas', 'Dainius', 'Mindaugas'],
    family: ['Kazlauskas', 'Jankauskas', 'Petrauskas', 'Stankevicius', 'Vasiliauskas', 'Zukauskas', 'Butkus', 'Paulauskas'],
    weight: 4,
  },
  bulgarian: {
    female: ['Desislava', 'Tsvetelina', 'Gergana', 'Radka', 'Silviya', 'Vesela', 'Yordanka', 'Milena'],
    male: ['Dimitar', 'Stoyan', 'Hristo', 'Todor', 'Plamen', 'Lyubomir', 'Krasimir', 'Nikolay'],
    family: ['Dimitrov', 'Petrov', 'Georgiev', 'Todorov', 'Stoyanov', 'Kolev', 'Hristova', 'Angelova'],
    weight: 3,
  },
  sierra_leonean: {
    female: ['Fatmata', 'Isatu', 'Mariama', 'Kadiatu', 'Aminata', 'Hawanatu', 'Adama', 'Zainab'],
    male: ['Alhaji', 'Mohamed', 'Sorie', 'Abubakarr', 'Foday', 'Sahr', 'Tamba', 'Ibrahim'],
    family: ['Kamara', 'Sesay', 'Conteh', 'Bangura', 'Koroma', 'Turay', 'Mansaray', 'Kargbo', 'Jalloh'],
    weight: 4,
  },
  congolese: {
    female: ['Chantal', 'Nsimba', 'Mbuyi', 'Grace', 'Esperance', 'Clarisse', 'Josiane', 'Nadine'],
    male: ['Jean-Claude', 'Patrice', 'Didier', 'Kabongo', 'Fiston', 'Trésor', 'Guylain', 'Serge'],
    family: ['Mbemba', 'Kabila', 'Tshibangu', 'Mukendi', 'Ilunga', 'Kasongo', 'Lukusa', 'Nzuzi', 'Makiese'],
    weight: 4,
  },
  filipino: {
    female: ['Maricel', 'Rowena', 'Jocelyn', 'Lorna', 'Marites', 'Aileen', 'Cherry', 'Joy'],
    male: ['Rodel', 'Jomar', 'Arnel', 'Rommel', 'Jericho', 'Danilo', 'Ronaldo', 'Efren'],
    family: ['Dela Cruz', 'Bautista', 'Mendoza', 'Villanueva', 'Aquino', 'Macaraeg', 'Pangilinan', 'Dimaculangan'],
    weight: 3,
  },
  colombian: {
    female: ['Paola', 'Yesenia', 'Marisol', 'Lorena', 'Catalina', 'Viviana', 'Diana', 'Liliana'],
    male: ['Jhon', 'Andrés', 'Wilmer', 'Hernán', 'Julián', 'Camilo', 'Fabián', 'Óscar'],
    family: ['Restrepo', 'Cárdenas', 'Quintero', 'Valencia', 'Ospina', 'Zuluaga', 'Londoño', 'Arango', 'Henao'],
    weight: 3,
  },
  iranian: {
    female: ['Shirin', 'Maryam', 'Parisa', 'Niloufar', 'Azadeh', 'Leila', 'Roya', 'Mahsa'],
    male: ['Reza', 'Mehdi', 'Hossein', 'Arash', 'Babak', 'Kourosh', 'Dariush', 'Farhad'],
    family: ['Hosseini', 'Mohammadi', 'Rezaei', 'Moradi', 'Jafari', 'Ghorbani', 'Sadeghi', 'Tehrani', 'Shirazi'],
    weight: 3,
  },
  nepali: {
    female: ['Sita', 'Gita', 'Sarita', 'Anjali', 'Pramila', 'Sunita', 'Kamala'],
    male: ['Bishnu', 'Ram', 'Hari', 'Dipesh', 'Suman', 'Prakash', 'Rajendra'],
    family: ['Gurung', 'Rai', 'Limbu', 'Thapa', 'Magar', 'Tamang', 'Shrestha', 'Pun'],
    weight: 2,
  },
  ukrainian: {
    female: ['Oksana', 'Olena', 'Iryna', 'Yulia', 'Nataliya', 'Svitlana', 'Tetiana', 'Halyna'],
    male: ['Oleksandr', 'Taras', 'Bohdan', 'Vasyl', 'Yaroslav', 'Dmytro', 'Serhiy', 'Mykola'],
    family: ['Shevchenko', 'Bondarenko', 'Kovalenko', 'Tkachenko', 'Kravchenko', 'Melnyk', 'Oliynyk', 'Lysenko'],
    weight: 3,
  },
  sinhalese: {
    female: ['Dilani', 'Chamari', 'Nilmini', 'Sanduni', 'Thilini', 'Ishara'],
    male: ['Chaminda', 'Nuwan', 'Ruwan', 'Lasith', 'Kasun', 'Dinesh'],
    family: ['Perera', 'Fernando', 'Wickramasinghe', 'Jayasuriya', 'Gunawardena', 'Rajapaksa', 'Bandara', 'Dissanayake'],
    weight: 2,
  },
  caribbean_british: {
    female: ['Marcia', 'Sonia', 'Yvonne', 'Claudette', 'Charmaine', 'Rochelle', 'Tiffany', 'Aaliyah'],
    male: ['Errol', 'Lloyd', 'Desmond', 'Everton', 'Carlton', 'Jerome', 'Tyrell', 'Jaden'],
    family: ['Bailey', 'McKenzie', 'Forbes', 'Henry', 'Blake', 'Samuels', 'Wallace', 'Ellis', 'Hylton'],
    weight: 8,
  },
};

/**
 * Short forms as people give them: the independent stream's own list, not
 * the resolver's table. Some of these the resolver's table knows, some it
 * does not (as with any real caller).
 */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Jennifer: ['Jenny', 'Jen', 'Jenna'],
  Kayleigh: ['Kay'],
  Danielle: ['Dani', 'Elle'],
  Nicola: ['Nicky', 'Nikki'],
  Joanne: ['Jo', 'Jo-Anne'],
  Tracey: ['Trace'],
  Christine: ['Chris', 'Chrissie', 'Tina'],
  Alexandra: ['Alex', 'Sasha', 'Lexi'],
  Rebekah: ['Becky', 'Bekah'],
  Katie: ['Kate', 'Kat'],
  Natasha: ['Tash', 'Tasha'],
  Kimberley: ['Kim'],
  Jacqueline: ['Jackie', 'Jacqui'],
  Theresa: ['Tess', 'Terri'],
  Nathan: ['Nate'],
  Stuart: ['Stu'],
  Anthony: ['Tony', 'Ant'],
  Christopher: ['Chris', 'Kit'],
  Nicholas: ['Nick', 'Nicky'],
  Frederick: ['Fred', 'Freddie'],
  Terence: ['Terry', 'Tel'],
  Bradley: ['Brad'],
  Aisha: ['Ayesha', 'Aysha'],
  Mariam: ['Maryam', 'Miriam'],
  Mohamed: ['Mo', 'Mohammed'],
  Ibrahim: ['Ibby'],
  Oleksandr: ['Sasha', 'Alex'],
  Dmytro: ['Dima'],
  Nataliya: ['Natasha', 'Natalie'],
  Yulia: ['Julia'],
  'Jean-Claude': ['JC', 'Claude'],
  Abubakarr: ['Abu', 'Bakarr'],
  Aminata: ['Ami'],
  Fatmata: ['Fatu'],
  Andrés: ['Andy'],
  Catalina: ['Cata'],
  Maricel: ['Marz'],
  Oksana: ['Oksi'],
  Errol: ['Ez'],
  Charmaine: ['Charlie'],
  Vytautas: ['Vytas'],
  Mindaugas: ['Mindy'],
};

export type LondonArea = { boroughCode: string; districts: readonly string[]; streets: readonly string[] };

/** Boroughs with postcode districts and street names of their own (names invented, shapes real). */
export const AREAS: readonly LondonArea[] = [
  { boroughCode: 'E09000025', districts: ['E6', 'E7', 'E12', 'E13', 'E15', 'E16'], streets: ['Station Street', 'Barking Road', 'Romford Road', 'Plashet Grove', 'Katherine Road', 'Sherrard Road', 'Green Street'] },
  { boroughCode: 'E09000030', districts: ['E1', 'E2', 'E3', 'E14'], streets: ['Cable Street', 'Roman Road', 'Burdett Road', 'Commercial Road', 'Bow Common Lane', 'Manchester Road'] },
  { boroughCode: 'E09000012', districts: ['E5', 'E8', 'E9', 'N16'], streets: ['Amhurst Road', 'Dalston Lane', 'Lower Clapton Road', 'Stoke Newington Church Street', 'Mare Street', 'Well Street'] },
  { boroughCode: 'E09000022', districts: ['SW2', 'SW9', 'SE11', 'SE27'], streets: ['Brixton Hill', 'Coldharbour Lane', 'Acre Lane', 'Kennington Lane', 'Norwood Road', 'Loughborough Road'] },
  { boroughCode: 'E09000028', districts: ['SE1', 'SE5', 'SE15', 'SE17'], streets: ['Rye Lane', 'Old Kent Road', 'Camberwell Grove', 'Walworth Road', 'Peckham Hill Street', 'Albany Road'] },
  { boroughCode: 'E09000023', districts: ['SE4', 'SE6', 'SE13', 'SE14'], streets: ['Lewisham Way', 'Brockley Rise', 'Rushey Green', 'New Cross Road', 'Stanstead Road'] },
  { boroughCode: 'E09000014', districts: ['N15', 'N17', 'N22', 'N8'], streets: ['West Green Road', 'Philip Lane', 'Lordship Lane', 'Turnpike Lane', 'Wightman Road', 'Park Lane'] },
  { boroughCode: 'E09000010', districts: ['EN1', 'EN3', 'N9', 'N18'], streets: ['Hertford Road', 'Fore Street', 'Silver Street', 'Southbury Road', 'Church Street'] },
  { boroughCode: 'E09000005', districts: ['NW10', 'HA9', 'NW2'], streets: ['Harlesden High Street', 'Church Road', 'Ealing Road', 'Neasden Lane', 'Craven Park Road'] },
  { boroughCode: 'E09000008', districts: ['CR0', 'CR7', 'SE25'], streets: ['London Road', 'Brigstock Road', 'Portland Road', 'Lower Addiscombe Road', 'Whitehorse Road'] },
  { boroughCode: 'E09000009', districts: ['W3', 'W5', 'W7', 'UB1'], streets: ['Uxbridge Road', 'South Road', 'Northfield Avenue', 'Churchfield Road', 'The Broadway'] },
  { boroughCode: 'E09000002', districts: ['RM8', 'RM9', 'RM10', 'IG11'], streets: ['Becontree Avenue', 'Heathway', 'Ripple Road', 'Longbridge Road', 'Valence Avenue'] },
  { boroughCode: 'E09000031', districts: ['E10', 'E11', 'E17', 'E4'], streets: ['Hoe Street', 'Lea Bridge Road', 'Forest Road', 'Leyton High Road', 'Chingford Mount Road'] },
  { boroughCode: 'E09000011', districts: ['SE2', 'SE7', 'SE18', 'SE28'], streets: ['Plumstead High Street', 'Woolwich Road', 'Eltham Hill', 'Charlton Church Lane', 'Shooters Hill'] },
];

/** Mobile prefixes in use (07xxx), and London landline exchanges (020 7/8). */
export const MOBILE_PREFIXES: readonly string[] = ['07401', '07415', '07438', '07449', '07501', '07534', '07544', '07588', '07723', '07754', '07792', '07805', '07837', '07861', '07903', '07932', '07956', '07983'];
export const LANDLINE_PREFIXES: readonly string[] = ['0207', '0208'];

/** Inward-code letters used in UK postcodes (no C, I, K, M, O, V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
