<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AddressField</name>
    <message>
        <location filename="../../ui/form_fields/region.py" line="200"/>
        <source>Building and room, e.g. 3栋2单元501室</source>
        <translation>Building and room, e.g. 3栋2单元501室</translation>
    </message>
</context>
<context>
    <name>AmountField</name>
    <message>
        <location filename="../../ui/form_fields/keyed.py" line="144"/>
        <source>yuan</source>
        <translation>yuan</translation>
    </message>
</context>
<context>
    <name>AssistedIdentifyPanel</name>
    <message>
        <location filename="../../ui/assisted_identify.py" line="60"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="61"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="105"/>
        <source>Type your ID number; then a staff member confirms it</source>
        <translation>Type your ID number; then a staff member confirms it</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="123"/>
        <source>Staff member: sign in to confirm this ID number</source>
        <translation>Staff member: sign in to confirm this ID number</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="132"/>
        <source>%1 is signed in as a technician; hall staff confirm identification.</source>
        <translation>%1 is signed in as a technician; hall staff confirm identification.</translation>
    </message>
</context>
<context>
    <name>AudioMode</name>
    <message>
        <location filename="../../ui/audio_mode.py" line="33"/>
        <source>button</source>
        <translation>button</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="35"/>
        <source>key</source>
        <translation>key</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="41"/>
        <source>selected</source>
        <translation>selected</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="41"/>
        <source>not selected</source>
        <translation>not selected</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="43"/>
        <source>unavailable</source>
        <translation>unavailable</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="44"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="59"/>
        <source>Audio mode. Up and down move between the controls, Enter chooses, Backspace goes back, F1 repeats the instructions.</source>
        <translation>Audio mode. Up and down move between the controls, Enter chooses, Backspace goes back, F1 repeats the instructions.</translation>
    </message>
</context>
<context>
    <name>CallBanner</name>
    <message>
        <location filename="../../ui/call_banner.py" line="43"/>
        <source>Cancel my call</source>
        <translation>Cancel my call</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="44"/>
        <source>Staff: clear</source>
        <translation>Staff: clear</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="66"/>
        <source>Staff have seen your call and are on their way.</source>
        <translation>Staff have seen your call and are on their way.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="68"/>
        <source>The network is down: your call shows on this kiosk only. Staff will see it in their list when the network is back.</source>
        <translation>The network is down: your call shows on this kiosk only. Staff will see it in their list when the network is back.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="70"/>
        <source>A member of staff has been called and will come to you.</source>
        <translation>A member of staff has been called and will come to you.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="75"/>
        <source>Staff have seen your call.</source>
        <translation>Staff have seen your call.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="77"/>
        <source>Offline: call shown on this kiosk only.</source>
        <translation>Offline: call shown on this kiosk only.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="78"/>
        <source>Staff have been called.</source>
        <translation>Staff have been called.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="99"/>
        <source>Your call has been cancelled.</source>
        <translation>Your call has been cancelled.</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="107"/>
        <source>The call has been cleared by %1.</source>
        <translation>The call has been cleared by %1.</translation>
    </message>
</context>
<context>
    <name>CandidateBar</name>
    <message>
        <location filename="../../ui/candidate_bar.py" line="38"/>
        <source>Earlier candidates</source>
        <translation>Earlier candidates</translation>
    </message>
    <message>
        <location filename="../../ui/candidate_bar.py" line="40"/>
        <source>More candidates</source>
        <translation>More candidates</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../ui/screens/confirm.py" line="21"/>
        <source>Please check, then submit</source>
        <translation>Please check, then submit</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="31"/>
        <source>Read my details aloud</source>
        <translation>Read my details aloud</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="36"/>
        <source>Submit</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="49"/>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="50"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="66"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="67"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="68"/>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
</context>
<context>
    <name>CountField</name>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="32"/>
        <source>One less</source>
        <translation>One less</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="34"/>
        <source>One more</source>
        <translation>One more</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Year</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Month</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="105"/>
        <source>Later %1</source>
        <translation>Later %1</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="108"/>
        <source>Earlier %1</source>
        <translation>Earlier %1</translation>
    </message>
</context>
<context>
    <name>FarewellScreen</name>
    <message>
        <location filename="../../ui/screens/finish.py" line="72"/>
        <source>Please take your card and your receipt. Thank you!</source>
        <translation>Please take your card and your receipt. Thank you!</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="75"/>
        <source>Back to the home screen</source>
        <translation>Back to the home screen</translation>
    </message>
</context>
<context>
    <name>FieldWidget</name>
    <message>
        <location filename="../../ui/form_fields/base.py" line="96"/>
        <source>%1 (required)</source>
        <translation>%1 (required)</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/base.py" line="96"/>
        <source>%1 (optional)</source>
        <translation>%1 (optional)</translation>
    </message>
</context>
<context>
    <name>FormMessages</name>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="17"/>
        <source>An ID number has 18 characters. Please check it.</source>
        <translation>An ID number has 18 characters. Please check it.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="21"/>
        <source>An ID number is 17 digits and then a digit or X. Please check it.</source>
        <translation>An ID number is 17 digits and then a digit or X. Please check it.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="24"/>
        <source>This ID number is not right. Please check each digit.</source>
        <translation>This ID number is not right. Please check each digit.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="37"/>
        <source>Please have their card read, or type their ID number.</source>
        <translation>Please have their card read, or type their ID number.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="49"/>
        <source>Please choose an answer here.</source>
        <translation>Please choose an answer here.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="50"/>
        <source>Please fill this in.</source>
        <translation>Please fill this in.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="56"/>
        <source>Please choose one of the answers shown.</source>
        <translation>Please choose one of the answers shown.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="59"/>
        <source>Please choose at least %1.</source>
        <translation>Please choose at least %1.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="62"/>
        <source>Please choose no more than %1.</source>
        <translation>Please choose no more than %1.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="65"/>
        <source>Please type an 11-digit mobile number, or a landline with its area code.</source>
        <translation>Please type an 11-digit mobile number, or a landline with its area code.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="69"/>
        <source>Please choose a date.</source>
        <translation>Please choose a date.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="70"/>
        <source>That date is too early. Please choose a later one.</source>
        <translation>That date is too early. Please choose a later one.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="73"/>
        <source>That date is too late. Please choose an earlier one.</source>
        <translation>That date is too late. Please choose an earlier one.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="76"/>
        <source>Please type an amount in yuan, with at most two digits after the point.</source>
        <translation>Please type an amount in yuan, with at most two digits after the point.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="80"/>
        <source>Please choose a whole number.</source>
        <translation>Please choose a whole number.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="81"/>
        <source>That is too small. The smallest allowed is %1.</source>
        <translation>That is too small. The smallest allowed is %1.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="84"/>
        <source>That is too large. The largest allowed is %1.</source>
        <translation>That is too large. The largest allowed is %1.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="87"/>
        <source>Please choose the place from the list.</source>
        <translation>Please choose the place from the list.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="90"/>
        <source>Please add the building and room number.</source>
        <translation>Please add the building and room number.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="93"/>
        <source>That is too long. Please shorten it.</source>
        <translation>That is too long. Please shorten it.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="96"/>
        <source>Please choose how you are related.</source>
        <translation>Please choose how you are related.</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="102"/>
        <source>This answer cannot be used. Please check it, or ask staff.</source>
        <translation>This answer cannot be used. Please check it, or ask staff.</translation>
    </message>
</context>
<context>
    <name>FormScreen</name>
    <message>
        <location filename="../../ui/screens/form.py" line="73"/>
        <source>Please fill in</source>
        <translation>Please fill in</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="82"/>
        <source>Previous page</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="84"/>
        <location filename="../../ui/screens/form.py" line="256"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="253"/>
        <source>Page %1 of %2</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="256"/>
        <source>Next page</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="343"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <location filename="../../ui/screens/guide.py" line="39"/>
        <source>Common questions</source>
        <translation>Common questions</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="42"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="46"/>
        <source>Take a queue number</source>
        <translation>Take a queue number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="50"/>
        <source>Pay here</source>
        <translation>Pay here</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="67"/>
        <source>This guide is available in Chinese only.</source>
        <translation>This guide is available in Chinese only.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="89"/>
        <source>Payment is unavailable right now: the kiosk cannot reach the payment platform. Please pay at one of the places below, or try again later.</source>
        <translation>Payment is unavailable right now: the kiosk cannot reach the payment platform. Please pay at one of the places below, or try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="105"/>
        <source>Who can apply</source>
        <translation>Who can apply</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="106"/>
        <source>What to bring</source>
        <translation>What to bring</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="107"/>
        <source>Fee</source>
        <translation>Fee</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="108"/>
        <source>Time limit</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="109"/>
        <source>Good to know</source>
        <translation>Good to know</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="121"/>
        <source>You can finish this here at the kiosk.</source>
        <translation>You can finish this here at the kiosk.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="122"/>
        <source>You apply here; the office handles it and you can check its progress with your receipt.</source>
        <translation>You apply here; the office handles it and you can check its progress with your receipt.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="124"/>
        <source>This is information only: there is nothing to apply for here.</source>
        <translation>This is information only: there is nothing to apply for here.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="125"/>
        <source>This needs a visit to a service window: the kiosk cannot finish it.</source>
        <translation>This needs a visit to a service window: the kiosk cannot finish it.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="127"/>
        <source>You can pay here by scanning a code with your phone.</source>
        <translation>You can pay here by scanning a code with your phone.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="134"/>
        <source>Where to go</source>
        <translation>Where to go</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="134"/>
        <source>Where to go instead</source>
        <translation>Where to go instead</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="136"/>
        <source>Other ways to pay</source>
        <translation>Other ways to pay</translation>
    </message>
</context>
<context>
    <name>HeaderStatus</name>
    <message>
        <location filename="../../ui/header_status.py" line="70"/>
        <source>dddd d MMMM</source>
        <translation>dddd d MMMM</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="79"/>
        <source>Network: checking</source>
        <translation>Network: checking</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="81"/>
        <source>Network: connected</source>
        <translation>Network: connected</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="83"/>
        <source>Network: offline</source>
        <translation>Network: offline</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="94"/>
        <source>Last sync: %1.</source>
        <translation>Last sync: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="98"/>
        <source>Never synced yet.</source>
        <translation>Never synced yet.</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="100"/>
        <source>Offline. %1 Greyed services need the network; the rest are sent when it is back.</source>
        <translation>Offline. %1 Greyed services need the network; the rest are sent when it is back.</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="44"/>
        <source>Please choose a service</source>
        <translation>Please choose a service</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="60"/>
        <source>Search for a service</source>
        <translation>Search for a service</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="63"/>
        <source>Check progress</source>
        <translation>Check progress</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="66"/>
        <source>My affairs</source>
        <translation>My affairs</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="90"/>
        <source>Most used</source>
        <translation>Most used</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="97"/>
        <source>By department</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="99"/>
        <source>By life event</source>
        <translation>By life event</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="77"/>
        <source>English</source>
        <comment>home: the other language</comment>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="79"/>
        <source>Language: Chinese or English</source>
        <translation>Language: Chinese or English</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../../ui/screens/identify.py" line="35"/>
        <source>Please insert your social-security card or place your ID card on the pad</source>
        <translation>Please insert your social-security card or place your ID card on the pad</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="49"/>
        <source>Scan an electronic card code</source>
        <translation>Scan an electronic card code</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="51"/>
        <source>No card? Ask staff to help type your ID number</source>
        <translation>No card? Ask staff to help type your ID number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="66"/>
        <source>Demo: insert the test card</source>
        <translation>Demo: insert the test card</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="71"/>
        <source>Demo: place the test ID card</source>
        <translation>Demo: place the test ID card</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="76"/>
        <source>Demo: scan a test electronic card code</source>
        <translation>Demo: scan a test electronic card code</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="107"/>
        <source>Open the electronic social-security card or medical-insurance code on your phone and hold the QR code under the scanner.</source>
        <translation>Open the electronic social-security card or medical-insurance code on your phone and hold the QR code under the scanner.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/identify.py" line="143"/>
        <source>Time left: %n second(s)</source>
        <translation>
            <numerusform>Time left: %n second</numerusform>
            <numerusform>Time left: %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="154"/>
        <source>Card read: %1, %2</source>
        <translation>Card read: %1, %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="160"/>
        <source>Checking your electronic card code…</source>
        <translation>Checking your electronic card code…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="169"/>
        <source>Reading your card, please do not remove it…</source>
        <translation>Reading your card, please do not remove it…</translation>
    </message>
</context>
<context>
    <name>KeyedField</name>
    <message>
        <location filename="../../ui/form_fields/keyed.py" line="81"/>
        <source>Please type on the keys</source>
        <translation>Please type on the keys</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../ui/widgets.py" line="189"/>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="191"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="196"/>
        <source>Decimal point</source>
        <translation>Decimal point</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="196"/>
        <source>Dash</source>
        <translation>Dash</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="206"/>
        <source>Digit key</source>
        <translation>Digit key</translation>
    </message>
</context>
<context>
    <name>LetterKeypad</name>
    <message>
        <location filename="../../ui/letter_keypad.py" line="49"/>
        <source>Letter %1</source>
        <translation>Letter %1</translation>
    </message>
    <message>
        <location filename="../../ui/letter_keypad.py" line="53"/>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/letter_keypad.py" line="54"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="58"/>
        <location filename="../../ui/main_window.py" line="393"/>
        <source>Government services self-service kiosk</source>
        <translation>Government services self-service kiosk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <location filename="../../ui/main_window.py" line="394"/>
        <source>Government self-service</source>
        <translation>Government self-service</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="141"/>
        <location filename="../../ui/main_window.py" line="395"/>
        <source>Care mode</source>
        <translation>Care mode</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="143"/>
        <location filename="../../ui/main_window.py" line="396"/>
        <source>High contrast</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <location filename="../../ui/main_window.py" line="397"/>
        <source>Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="148"/>
        <location filename="../../ui/main_window.py" line="403"/>
        <source>Repeat</source>
        <comment>header button, short</comment>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="150"/>
        <location filename="../../ui/main_window.py" line="404"/>
        <source>Repeat</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="151"/>
        <location filename="../../ui/main_window.py" line="405"/>
        <source>Stop</source>
        <comment>header button, short</comment>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="153"/>
        <location filename="../../ui/main_window.py" line="406"/>
        <source>Stop voice</source>
        <translation>Stop voice</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="237"/>
        <location filename="../../ui/main_window.py" line="409"/>
        <source>Simulated card reader: not real hardware</source>
        <translation>Simulated card reader: not real hardware</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242"/>
        <location filename="../../ui/main_window.py" line="398"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="243"/>
        <location filename="../../ui/main_window.py" line="399"/>
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="255"/>
        <location filename="../../ui/main_window.py" line="400"/>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: low</source>
        <translation>Volume: low</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: medium</source>
        <translation>Volume: medium</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: high</source>
        <translation>Volume: high</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. low</source>
        <translation>Vol. low</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. mid</source>
        <translation>Vol. mid</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. high</source>
        <translation>Vol. high</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="455"/>
        <source>The call could not be recorded. Please ask at the service desk.</source>
        <translation>The call could not be recorded. Please ask at the service desk.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="464"/>
        <source>Ding dong. Staff, please come to kiosk %1.</source>
        <translation>Ding dong. Staff, please come to kiosk %1.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="539"/>
        <source>Your card is back. Please carry on.</source>
        <translation>Your card is back. Please carry on.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="543"/>
        <source>Your card has been taken out. Put it back in the reader to carry on; otherwise this visit ends in %n second(s) and your details are cleared.</source>
        <translation>
            <numerusform>Your card has been taken out. Put it back in the reader to carry on; otherwise this visit ends in %n second and your details are cleared.</numerusform>
            <numerusform>Your card has been taken out. Put it back in the reader to carry on; otherwise this visit ends in %n seconds and your details are cleared.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="547"/>
        <source>Do you need more time? Returning to the home screen in %n second(s).</source>
        <translation>
            <numerusform>Do you need more time? Returning to the home screen in %n second.</numerusform>
            <numerusform>Do you need more time? Returning to the home screen in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="10"/>
        <source>This is not a social-security card. Please insert your social-security card, or place your ID card on the pad.</source>
        <translation>This is not a social-security card. Please insert your social-security card, or place your ID card on the pad.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15"/>
        <source>The card was taken out too early. Please insert it again and wait.</source>
        <translation>The card was taken out too early. Please insert it again and wait.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18"/>
        <source>A different card was put in, so the visit ended and its details were cleared. Please start again.</source>
        <translation>A different card was put in, so the visit ended and its details were cleared. Please start again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="22"/>
        <source>The card did not answer. Please take it out and insert it again.</source>
        <translation>The card did not answer. Please take it out and insert it again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="25"/>
        <source>This card could not be read. Please ask staff for help.</source>
        <translation>This card could not be read. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="28"/>
        <source>The card reader had a problem. Please try again.</source>
        <translation>The card reader had a problem. Please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="31"/>
        <source>The card reader is not working. Please ask staff for help.</source>
        <translation>The card reader is not working. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="34"/>
        <location filename="../../ui/messages.py" line="37"/>
        <location filename="../../ui/messages.py" line="40"/>
        <location filename="../../ui/messages.py" line="43"/>
        <location filename="../../ui/messages.py" line="46"/>
        <source>The ID number on this card is not valid. Please ask staff.</source>
        <translation>The ID number on this card is not valid. Please ask staff.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="49"/>
        <source>This kiosk cannot accept this kind of card yet. Please ask staff for help.</source>
        <translation>This kiosk cannot accept this kind of card yet. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="53"/>
        <source>The ID card reader is not working. Please ask staff for help.</source>
        <translation>The ID card reader is not working. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="56"/>
        <source>The card could not be read cleanly. Please lift it and place it again.</source>
        <translation>The card could not be read cleanly. Please lift it and place it again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="59"/>
        <source>This card could not be verified. Please ask staff for help.</source>
        <translation>This card could not be verified. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="62"/>
        <source>The card does not answer. Please check it is inserted the right way.</source>
        <translation>The card does not answer. Please check it is inserted the right way.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="65"/>
        <source>This card has expired. Please use a valid card or ask staff.</source>
        <translation>This card has expired. Please use a valid card or ask staff.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="68"/>
        <source>This is your own card. Please take it out and let your family member insert theirs, or type their ID number.</source>
        <translation>This is your own card. Please take it out and let your family member insert theirs, or type their ID number.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="73"/>
        <source>This service is for older residents; your card does not meet the age rule.</source>
        <translation>This service is for older residents; your card does not meet the age rule.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="76"/>
        <source>This electronic card code has expired. Please refresh the code on your phone and scan it again.</source>
        <translation>This electronic card code has expired. Please refresh the code on your phone and scan it again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="80"/>
        <source>This electronic card code has already been used. Please refresh the code on your phone and scan the new one.</source>
        <translation>This electronic card code has already been used. Please refresh the code on your phone and scan the new one.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="84"/>
        <location filename="../../ui/messages.py" line="88"/>
        <location filename="../../ui/messages.py" line="92"/>
        <source>This code could not be verified as an electronic card code. Please use your card, or ask staff for help.</source>
        <translation>This code could not be verified as an electronic card code. Please use your card, or ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="96"/>
        <source>Electronic card codes cannot be checked while the network is down. Please use your card, or ask staff to help type your ID number.</source>
        <translation>Electronic card codes cannot be checked while the network is down. Please use your card, or ask staff to help type your ID number.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="100"/>
        <source>This service does not accept an electronic card code. Please use your card, or ask staff to help type your ID number.</source>
        <translation>This service does not accept an electronic card code. Please use your card, or ask staff to help type your ID number.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="104"/>
        <source>This service is only for people up to a certain age, and your card is above it. Staff can tell you which service fits you.</source>
        <translation>This service is only for people up to a certain age, and your card is above it. Staff can tell you which service fits you.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="111"/>
        <source>The card could not be used. Please ask staff for help.</source>
        <translation>The card could not be used. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="120"/>
        <source>This QR code is not one the kiosk can use here.</source>
        <translation>This QR code is not one the kiosk can use here.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="123"/>
        <source>This receipt was issued at another kiosk. Please type its number there, or ask at the counter.</source>
        <translation>This receipt was issued at another kiosk. Please type its number there, or ask at the counter.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="127"/>
        <source>The QR code scanner is not working. Please ask staff for help.</source>
        <translation>The QR code scanner is not working. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="131"/>
        <source>The code could not be read. Please hold it still under the scanner and try again.</source>
        <translation>The code could not be read. Please hold it still under the scanner and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="139"/>
        <source>This kiosk cannot take more applications until its network connection is back. Nothing was submitted. Please ask staff, or use another kiosk.</source>
        <translation>This kiosk cannot take more applications until its network connection is back. Nothing was submitted. Please ask staff, or use another kiosk.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="144"/>
        <source>Your application could not be saved, so nothing was submitted. Please ask staff for help.</source>
        <translation>Your application could not be saved, so nothing was submitted. Please ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="152"/>
        <source>Something went wrong while submitting your application. Please try again, or ask staff for help.</source>
        <translation>Something went wrong while submitting your application. Please try again, or ask staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="160"/>
        <source>The printer cannot print right now. Your application is saved: please note the tracking number below or scan the code with your phone.</source>
        <translation>The printer cannot print right now. Your application is saved: please note the tracking number below or scan the code with your phone.</translation>
    </message>
</context>
<context>
    <name>MultiChoiceField</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="114"/>
        <source>Choose %1 to %2</source>
        <translation>Choose %1 to %2</translation>
    </message>
</context>
<context>
    <name>OptionPager</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="39"/>
        <source>Previous options</source>
        <translation>Previous options</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="42"/>
        <source>More options</source>
        <translation>More options</translation>
    </message>
</context>
<context>
    <name>OutOfOrder</name>
    <message>
        <location filename="../../ui/out_of_order.py" line="24"/>
        <source>Out of order</source>
        <translation>Out of order</translation>
    </message>
    <message>
        <location filename="../../ui/out_of_order.py" line="28"/>
        <source>Please use another kiosk or ask at the service desk.</source>
        <translation>Please use another kiosk or ask at the service desk.</translation>
    </message>
    <message>
        <location filename="../../ui/out_of_order.py" line="30"/>
        <source>Help: call the government service hotline %1</source>
        <translation>Help: call the government service hotline %1</translation>
    </message>
</context>
<context>
    <name>PageBar</name>
    <message>
        <location filename="../../ui/tile_list.py" line="51"/>
        <source>Previous page</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../../ui/tile_list.py" line="55"/>
        <source>Next page</source>
        <translation>Next page</translation>
    </message>
</context>
<context>
    <name>PaymentScreen</name>
    <message>
        <location filename="../../ui/screens/payment.py" line="73"/>
        <source>Look up</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="74"/>
        <source>Pay with my phone</source>
        <translation>Pay with my phone</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="75"/>
        <source>Change the number</source>
        <translation>Change the number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="76"/>
        <source>Cancel payment</source>
        <translation>Cancel payment</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="77"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="78"/>
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="172"/>
        <source>Time left: %1</source>
        <translation>Time left: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="186"/>
        <source>Type your %1 on the keypad, then tap Look up.</source>
        <translation>Type your %1 on the keypad, then tap Look up.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="204"/>
        <source>The connection to the payment platform is interrupted; the kiosk keeps trying. If you have paid, do not pay again.</source>
        <translation>The connection to the payment platform is interrupted; the kiosk keeps trying. If you have paid, do not pay again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="226"/>
        <source>Account: %1</source>
        <translation>Account: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="228"/>
        <source>Holder: %1</source>
        <translation>Holder: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="230"/>
        <source>Period: %1</source>
        <translation>Period: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="232"/>
        <source>Balance on the card account: ¥%1</source>
        <translation>Balance on the card account: ¥%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="235"/>
        <source>Order number: %1</source>
        <translation>Order number: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="239"/>
        <source>Amount: ¥%1</source>
        <translation>Amount: ¥%1</translation>
    </message>
</context>
<context>
    <name>PaymentWords</name>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="27"/>
        <source>transit card number</source>
        <translation>transit card number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="29"/>
        <source>water account number</source>
        <translation>water account number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="30"/>
        <source>electricity account number</source>
        <translation>electricity account number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="31"/>
        <source>gas account number</source>
        <translation>gas account number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="32"/>
        <source>heating account number</source>
        <translation>heating account number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="42"/>
        <source>No smartphone? You can pay at %1.</source>
        <translation>No smartphone? You can pay at %1.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="43"/>
        <source>; or </source>
        <translation>; or </translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="51"/>
        <source>The number has %1 digits. Please check it and type it again.</source>
        <translation>The number has %1 digits. Please check it and type it again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="54"/>
        <source>No account with this number was found. Please check the number on your bill or card and type it again.</source>
        <translation>No account with this number was found. Please check the number on your bill or card and type it again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="57"/>
        <source>This account owes nothing at the moment. There is nothing to pay.</source>
        <translation>This account owes nothing at the moment. There is nothing to pay.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="60"/>
        <source>The payment service cannot be reached right now, so payment is unavailable here. Nothing was paid.</source>
        <translation>The payment service cannot be reached right now, so payment is unavailable here. Nothing was paid.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="63"/>
        <source>The payment could not be started: the bill changed. Nothing was paid. Please look it up again.</source>
        <translation>The payment could not be started: the bill changed. Nothing was paid. Please look it up again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="68"/>
        <source>Looking up the account, please wait…</source>
        <translation>Looking up the account, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="69"/>
        <source>Preparing the payment code, please wait…</source>
        <translation>Preparing the payment code, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="70"/>
        <source>Scan the code with your phone to pay</source>
        <translation>Scan the code with your phone to pay</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="71"/>
        <source>Cancelling the payment, please wait…</source>
        <translation>Cancelling the payment, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="72"/>
        <source>The payment could not be started</source>
        <translation>The payment could not be started</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="73"/>
        <source>Payment received</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="74"/>
        <source>The payment did not go through</source>
        <translation>The payment did not go through</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="75"/>
        <source>The time to pay is over</source>
        <translation>The time to pay is over</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="76"/>
        <source>Payment cancelled</source>
        <translation>Payment cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="77"/>
        <source>Your late payment was credited</source>
        <translation>Your late payment was credited</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="78"/>
        <source>Your late payment will be refunded</source>
        <translation>Your late payment will be refunded</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="79"/>
        <source>The payment result is not confirmed yet</source>
        <translation>The payment result is not confirmed yet</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="86"/>
        <source>The payment service cannot be reached right now. Nothing was paid.</source>
        <translation>The payment service cannot be reached right now. Nothing was paid.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="91"/>
        <source>Thank you. The platform has confirmed your payment.</source>
        <translation>Thank you. The platform has confirmed your payment.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="92"/>
        <source>Your bank or wallet declined the payment. No money was taken. You may try again, or pay at a window.</source>
        <translation>Your bank or wallet declined the payment. No money was taken. You may try again, or pay at a window.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="94"/>
        <source>No payment arrived in time, and no money was taken. If your phone shows that you paid, the platform will credit or refund it automatically.</source>
        <translation>No payment arrived in time, and no money was taken. If your phone shows that you paid, the platform will credit or refund it automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="97"/>
        <source>The payment was cancelled. No money was taken.</source>
        <translation>The payment was cancelled. No money was taken.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="98"/>
        <source>Your payment arrived after the time limit; the platform has credited it to the account.</source>
        <translation>Your payment arrived after the time limit; the platform has credited it to the account.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="100"/>
        <source>Your payment arrived after the order had ended; the platform will pay it back to where it came from. There is nothing more to do.</source>
        <translation>Your payment arrived after the order had ended; the platform will pay it back to where it came from. There is nothing more to do.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="103"/>
        <source>The kiosk could not reach the payment platform to confirm your payment. Please do not pay again. Take the slip: it has the order number %1 and how to check it; money taken is credited or refunded automatically.</source>
        <translation>The kiosk could not reach the payment platform to confirm your payment. Please do not pay again. Take the slip: it has the order number %1 and how to check it; money taken is credited or refunded automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="114"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="116"/>
        <source>Please take your slip.</source>
        <translation>Please take your slip.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="118"/>
        <source>The slip could not be printed. Please write down the order number: %1</source>
        <translation>The slip could not be printed. Please write down the order number: %1</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <location filename="../../ui/screens/guide.py" line="157"/>
        <source>Before we read your card</source>
        <translation>Before we read your card</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="160"/>
        <source>The kiosk will read your name, gender, ethnicity, date of birth, ID number and card number from your card. They are used only for this application, sent to the government platform encrypted, and erased from this kiosk when you finish.</source>
        <translation>The kiosk will read your name, gender, ethnicity, date of birth, ID number and card number from your card. They are used only for this application, sent to the government platform encrypted, and erased from this kiosk when you finish.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="170"/>
        <source>I agree, continue</source>
        <translation>I agree, continue</translation>
    </message>
</context>
<context>
    <name>ProofsScreen</name>
    <message>
        <location filename="../../ui/screens/proofs.py" line="42"/>
        <source>Print an official proof</source>
        <translation>Print an official proof</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="45"/>
        <source>Choose the proof you need. It is printed on A4 paper with a verification code that anyone can check.</source>
        <translation>Choose the proof you need. It is printed on A4 paper with a verification code that anyone can check.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="58"/>
        <source>Print it again</source>
        <translation>Print it again</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="59"/>
        <source>Back to the list</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="67"/>
        <source>Social insurance contributions (社保参保缴费证明)</source>
        <translation>Social insurance contributions (社保参保缴费证明)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="68"/>
        <source>Medical insurance enrolment (医保参保证明)</source>
        <translation>Medical insurance enrolment (医保参保证明)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="69"/>
        <source>Housing fund deposits (公积金缴存证明)</source>
        <translation>Housing fund deposits (公积金缴存证明)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="70"/>
        <source>Individual income tax paid (个人所得税纳税记录)</source>
        <translation>Individual income tax paid (个人所得税纳税记录)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="76"/>
        <location filename="../../ui/screens/proofs.py" line="77"/>
        <location filename="../../ui/screens/proofs.py" line="78"/>
        <source>Printing your proof on the A4 printer, please wait…</source>
        <translation>Printing your proof on the A4 printer, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="79"/>
        <source>The A4 printer is out of paper. Please ask the staff to load paper, then print the proof again.</source>
        <translation>The A4 printer is out of paper. Please ask the staff to load paper, then print the proof again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="81"/>
        <source>Paper is jammed in the A4 printer. Please ask the staff to clear it, then print the proof again.</source>
        <translation>Paper is jammed in the A4 printer. Please ask the staff to clear it, then print the proof again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="83"/>
        <source>A cover of the A4 printer is open. Please ask the staff to close it, then print the proof again.</source>
        <translation>A cover of the A4 printer is open. Please ask the staff to close it, then print the proof again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="85"/>
        <source>The A4 printer has run out of toner. Please ask the staff for help.</source>
        <translation>The A4 printer has run out of toner. Please ask the staff for help.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="87"/>
        <source>The A4 printer is not answering (offline). Please ask the staff to check it, then print the proof again.</source>
        <translation>The A4 printer is not answering (offline). Please ask the staff to check it, then print the proof again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="89"/>
        <source>This kiosk has no A4 printer. Proofs can be printed at a service window.</source>
        <translation>This kiosk has no A4 printer. Proofs can be printed at a service window.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="91"/>
        <source>The proof could not be printed. Please try again or ask the staff.</source>
        <translation>The proof could not be printed. Please try again or ask the staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="98"/>
        <source>The platform cannot be reached now, so no proof can be issued. Please try again later or ask at a service window.</source>
        <translation>The platform cannot be reached now, so no proof can be issued. Please try again later or ask at a service window.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="101"/>
        <source>No records were found for you, so no proof can be issued. Please ask at a service window.</source>
        <translation>No records were found for you, so no proof can be issued. Please ask at a service window.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="103"/>
        <source>The platform did not issue the proof. Please ask the staff.</source>
        <translation>The platform did not issue the proof. Please ask the staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="119"/>
        <source>Asking the platform for your proof: %1</source>
        <translation>Asking the platform for your proof: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="123"/>
        <source>Your proof has been printed. Please take it from the A4 printer.</source>
        <translation>Your proof has been printed. Please take it from the A4 printer.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="132"/>
        <source>Verification code: %1</source>
        <translation>Verification code: %1</translation>
    </message>
</context>
<context>
    <name>QuestionsScreen</name>
    <message>
        <location filename="../../ui/screens/questions.py" line="33"/>
        <source>Some questions are available in Chinese only.</source>
        <translation>Some questions are available in Chinese only.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="50"/>
        <source>Other questions</source>
        <translation>Other questions</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="52"/>
        <source>None of these: call staff</source>
        <translation>None of these: call staff</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="63"/>
        <source>Common questions: %1</source>
        <translation>Common questions: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="64"/>
        <source>Tap a question to see and hear its answer.</source>
        <translation>Tap a question to see and hear its answer.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="66"/>
        <source>There are no common questions here yet. Staff can help.</source>
        <translation>There are no common questions here yet. Staff can help.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="92"/>
        <location filename="../../ui/screens/questions.py" line="104"/>
        <source>Where to go:</source>
        <translation>Where to go:</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="99"/>
        <source>This answer is available in Chinese only.</source>
        <translation>This answer is available in Chinese only.</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <location filename="../../ui/screens/queue.py" line="61"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="87"/>
        <source>Taking a queue number, please wait…</source>
        <translation>Taking a queue number, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="108"/>
        <source>No queue number could be given</source>
        <translation>No queue number could be given</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="109"/>
        <source>Sorry, the kiosk could not give you a number. Please ask the staff at the service desk, or tap Call staff.</source>
        <translation>Sorry, the kiosk could not give you a number. Please ask the staff at the service desk, or tap Call staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="118"/>
        <source>Your queue number</source>
        <translation>Your queue number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="123"/>
        <source>Please go to %1 and wait to be called.</source>
        <translation>Please go to %1 and wait to be called.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="127"/>
        <source>The network is not available, so this is a local number from this kiosk. Show it at the window: the staff will fit you in.</source>
        <translation>The network is not available, so this is a local number from this kiosk. Show it at the window: the staff will fit you in.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/queue.py" line="130"/>
        <source>%n person(s) waiting before you.</source>
        <translation>
            <numerusform>%n person waiting before you.</numerusform>
            <numerusform>%n people waiting before you.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="132"/>
        <source>Printing your ticket…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="136"/>
        <source>Your queue number is %1.</source>
        <translation>Your queue number is %1.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="142"/>
        <source>Please take your ticket.</source>
        <translation>Please take your ticket.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="145"/>
        <source>The ticket could not be printed. Please remember the number on the screen, or write it down.</source>
        <translation>The ticket could not be printed. Please remember the number on the screen, or write it down.</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <location filename="../../ui/screens/finish.py" line="21"/>
        <source>How satisfied are you with this service?</source>
        <translation>How satisfied are you with this service?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="23"/>
        <source>Very satisfied</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="24"/>
        <source>Satisfied</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="25"/>
        <source>Basically satisfied</source>
        <translation>Basically satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="26"/>
        <source>Dissatisfied</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="27"/>
        <source>Very dissatisfied</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="35"/>
        <location filename="../../ui/screens/finish.py" line="59"/>
        <source>Why? Please choose one:</source>
        <translation>Why? Please choose one:</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="39"/>
        <source>Too slow</source>
        <translation>Too slow</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="40"/>
        <source>Hard to understand</source>
        <translation>Hard to understand</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="41"/>
        <source>Device problem</source>
        <translation>Device problem</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="42"/>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="48"/>
        <source>Skip</source>
        <translation>Skip</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="28"/>
        <source>Your application has been accepted</source>
        <translation>Your application has been accepted</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="29"/>
        <source>Tracking number</source>
        <translation>Tracking number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="49"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="56"/>
        <source>Printing your receipt…</source>
        <translation>Printing your receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="71"/>
        <source>Your application has been accepted. Your receipt is printing.</source>
        <translation>Your application has been accepted. Your receipt is printing.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="72"/>
        <source>Your application has been accepted. Tracking number: %1. Your receipt is printing.</source>
        <translation>Your application has been accepted. Tracking number: %1. Your receipt is printing.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="77"/>
        <source>Please take your receipt</source>
        <translation>Please take your receipt</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="92"/>
        <source>Query code: %1 (write it down: you need it to check progress)</source>
        <translation>Query code: %1 (write it down: you need it to check progress)</translation>
    </message>
</context>
<context>
    <name>RecordsScreen</name>
    <message>
        <location filename="../../ui/screens/records.py" line="39"/>
        <source>My applications and records</source>
        <translation>My applications and records</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="47"/>
        <source>Checking, please wait…</source>
        <translation>Checking, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="69"/>
        <location filename="../../ui/screens/records.py" line="228"/>
        <source>Please insert your social-security card or place your ID card on the pad</source>
        <translation>Please insert your social-security card or place your ID card on the pad</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="71"/>
        <source>Or show the electronic card code on your phone to the scanner.</source>
        <translation>Or show the electronic card code on your phone to the scanner.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="74"/>
        <source>No card? Ask staff to help type your ID number</source>
        <translation>No card? Ask staff to help type your ID number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="78"/>
        <source>Demo: insert the test card</source>
        <translation>Demo: insert the test card</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="81"/>
        <source>Demo: place the test ID card</source>
        <translation>Demo: place the test ID card</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="89"/>
        <source>Show my records (social insurance, medical insurance, housing fund, tax)</source>
        <translation>Show my records (social insurance, medical insurance, housing fund, tax)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="103"/>
        <source>Type your card&apos;s PIN (6 digits), then Confirm. Cover the keypad with your hand.</source>
        <translation>Type your card&apos;s PIN (6 digits), then Confirm. Cover the keypad with your hand.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="110"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="111"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="136"/>
        <source>Back to my applications</source>
        <translation>Back to my applications</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="138"/>
        <source>Print an official proof (A4)</source>
        <translation>Print an official proof (A4)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="167"/>
        <source>Back to my records</source>
        <translation>Back to my records</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="203"/>
        <source>An ID card has no PIN: a member of staff confirms who you are with their own staff number and PIN.</source>
        <translation>An ID card has no PIN: a member of staff confirms who you are with their own staff number and PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="253"/>
        <source>Checking your electronic card code…</source>
        <translation>Checking your electronic card code…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="258"/>
        <source>Reading your card, please do not remove it…</source>
        <translation>Reading your card, please do not remove it…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/records.py" line="276"/>
        <source>Wrong PIN. %n try/tries left before the card blocks it.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left before the card blocks it.</numerusform>
            <numerusform>Wrong PIN. %n tries left before the card blocks it.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="296"/>
        <source>Identified: %1, %2</source>
        <translation>Identified: %1, %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="299"/>
        <source>Your applications on the platform and on this kiosk.</source>
        <translation>Your applications on the platform and on this kiosk.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="301"/>
        <source>The platform cannot be reached: only the applications made on this kiosk are shown.</source>
        <translation>The platform cannot be reached: only the applications made on this kiosk are shown.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="323"/>
        <source>The PIN has 6 digits. Please type it again.</source>
        <translation>The PIN has 6 digits. Please type it again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="330"/>
        <source>Only hall staff can confirm a citizen.</source>
        <translation>Only hall staff can confirm a citizen.</translation>
    </message>
</context>
<context>
    <name>RecordsText</name>
    <message>
        <location filename="../../ui/screens/records_text.py" line="28"/>
        <source>on this kiosk, waiting to be sent</source>
        <translation>on this kiosk, waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="29"/>
        <source>sent to the office</source>
        <translation>sent to the office</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="30"/>
        <source>not accepted by the platform; please ask staff</source>
        <translation>not accepted by the platform; please ask staff</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="31"/>
        <source>accepted by the office</source>
        <translation>accepted by the office</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="32"/>
        <source>being processed</source>
        <translation>being processed</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="33"/>
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="34"/>
        <source>not approved</source>
        <translation>not approved</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="35"/>
        <source>ready for pickup</source>
        <translation>ready for pickup</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="42"/>
        <source>No applications found.</source>
        <translation>No applications found.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="45"/>
        <source>%1 — %2 (submitted %3)</source>
        <translation>%1 — %2 (submitted %3)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="48"/>
        <source>Tracking number: %1</source>
        <translation>Tracking number: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="50"/>
        <source>Reason: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="52"/>
        <source>(known to this kiosk only so far)</source>
        <translation>(known to this kiosk only so far)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="58"/>
        <source>pension</source>
        <translation>pension</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="58"/>
        <source>medical</source>
        <translation>medical</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="59"/>
        <source>unemployment</source>
        <translation>unemployment</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="59"/>
        <source>work injury</source>
        <translation>work injury</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="71"/>
        <source>%1, employer: %2</source>
        <translation>%1, employer: %2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="73"/>
        <source>Social insurance contributions</source>
        <translation>Social insurance contributions</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="77"/>
        <source>paid</source>
        <translation>paid</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="77"/>
        <source>not yet paid</source>
        <translation>not yet paid</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="78"/>
        <source>%1: base %2 yuan, you paid %3 yuan (%4); %5</source>
        <translation>%1: base %2 yuan, you paid %3 yuan (%4); %5</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="81"/>
        <source>Medical insurance account</source>
        <translation>Medical insurance account</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="82"/>
        <location filename="../../ui/screens/records_text.py" line="87"/>
        <source>Balance: %1 yuan</source>
        <translation>Balance: %1 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="84"/>
        <source>%1 %2: %3 yuan</source>
        <translation>%1 %2: %3 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="86"/>
        <source>Housing fund</source>
        <translation>Housing fund</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="90"/>
        <source>%1: deposited %2 yuan</source>
        <translation>%1: deposited %2 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="92"/>
        <source>Individual income tax</source>
        <translation>Individual income tax</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="94"/>
        <source>%1: income %2 yuan, tax %3 yuan</source>
        <translation>%1: income %2 yuan, tax %3 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="101"/>
        <source>The card&apos;s PIN is blocked after three wrong tries. Your records stay closed; staff at the social-security counter can unblock it.</source>
        <translation>The card&apos;s PIN is blocked after three wrong tries. Your records stay closed; staff at the social-security counter can unblock it.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="104"/>
        <source>The platform cannot be reached now, so your records cannot be shown. Please try again later or ask at the counter.</source>
        <translation>The platform cannot be reached now, so your records cannot be shown. Please try again later or ask at the counter.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="106"/>
        <source>The platform did not open your records. Please ask staff.</source>
        <translation>The platform did not open your records. Please ask staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="107"/>
        <source>The platform holds no records for you.</source>
        <translation>The platform holds no records for you.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="108"/>
        <source>Something went wrong while asking the platform. Please try again or ask staff.</source>
        <translation>Something went wrong while asking the platform. Please try again or ask staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="110"/>
        <source>The card was taken out. Please insert it again to check the PIN.</source>
        <translation>The card was taken out. Please insert it again to check the PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="112"/>
        <source>This kiosk cannot check a card PIN. Please ask staff.</source>
        <translation>This kiosk cannot check a card PIN. Please ask staff.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="113"/>
        <source>The PIN has 6 digits. Please type it again.</source>
        <translation>The PIN has 6 digits. Please type it again.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="114"/>
        <source>Wrong PIN.</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="116"/>
        <source>Something went wrong. Please ask staff.</source>
        <translation>Something went wrong. Please ask staff.</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <location filename="../../ui/form_fields/region.py" line="92"/>
        <source>Choose again</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/region.py" line="104"/>
        <source>Please choose the district</source>
        <translation>Please choose the district</translation>
    </message>
</context>
<context>
    <name>RelationField</name>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="65"/>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="70"/>
        <source>Their card on the reader, or their ID number:</source>
        <translation>Their card on the reader, or their ID number:</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="129"/>
        <source>Waiting for the card or the number</source>
        <translation>Waiting for the card or the number</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="141"/>
        <source>Card read: %1, %2</source>
        <translation>Card read: %1, %2</translation>
    </message>
</context>
<context>
    <name>ScrollPanel</name>
    <message>
        <location filename="../../ui/scroll_panel.py" line="44"/>
        <source>Previous page</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../../ui/scroll_panel.py" line="46"/>
        <source>Next page</source>
        <translation>Next page</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <location filename="../../ui/screens/search.py" line="40"/>
        <location filename="../../ui/screens/search.py" line="142"/>
        <source>Find a service</source>
        <translation>Find a service</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="141"/>
        <source>Find a service: %1</source>
        <translation>Find a service: %1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="144"/>
        <source>Type the first letters of each syllable, e.g. YLJ for 养老金, or the whole pinyin.</source>
        <translation>Type the first letters of each syllable, e.g. YLJ for 养老金, or the whole pinyin.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="151"/>
        <source>Nothing found. Delete a letter, or ask staff for help.</source>
        <translation>Nothing found. Delete a letter, or ask staff for help.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/search.py" line="153"/>
        <source>%n service(s) found, best first.</source>
        <translation>
            <numerusform>%n service found.</numerusform>
            <numerusform>%n services found, best first.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServiceTiles</name>
    <message>
        <location filename="../../ui/service_tiles.py" line="26"/>
        <source>Needs the network: unavailable right now</source>
        <translation>Needs the network: unavailable right now</translation>
    </message>
    <message>
        <location filename="../../ui/service_tiles.py" line="29"/>
        <source>Sent automatically once back online</source>
        <translation>Sent automatically once back online</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <location filename="../../ui/screens/services.py" line="27"/>
        <source>Common questions about this department</source>
        <translation>Common questions about this department</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/services.py" line="51"/>
        <source>%n service(s). Tap the one you need.</source>
        <translation>
            <numerusform>%n service. Tap it to start.</numerusform>
            <numerusform>%n services. Tap the one you need.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="52"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="53"/>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="56"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="79"/>
        <source>Your PIN</source>
        <translation>Your PIN</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="79"/>
        <source>Your staff number</source>
        <translation>Your staff number</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="97"/>
        <source>Enter your staff number first.</source>
        <translation>Enter your staff number first.</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="111"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/staff_sign_in.py" line="136"/>
        <source>Too many wrong attempts. Locked for %n minute(s).</source>
        <translation>
            <numerusform>Too many wrong attempts. Locked for %n minute.</numerusform>
            <numerusform>Too many wrong attempts. Locked for %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="138"/>
        <source>No staff credentials on this kiosk yet. They come from the platform, or root sets a local one with: kiosk technician set-pin</source>
        <translation>No staff credentials on this kiosk yet. They come from the platform, or root sets a local one with: kiosk technician set-pin</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/staff_sign_in.py" line="141"/>
        <source>Staff number or PIN not recognised. %n tries left.</source>
        <translation>
            <numerusform>Staff number or PIN not recognised. %n try left.</numerusform>
            <numerusform>Staff number or PIN not recognised. %n tries left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffClearPanel</name>
    <message>
        <location filename="../../ui/call_clear.py" line="31"/>
        <source>Staff sign-in to clear the call</source>
        <translation>Staff sign-in to clear the call</translation>
    </message>
    <message>
        <location filename="../../ui/call_clear.py" line="60"/>
        <source>%1 is signed in as a technician; calls are cleared by hall staff.</source>
        <translation>%1 is signed in as a technician; calls are cleared by hall staff.</translation>
    </message>
</context>
<context>
    <name>SubmittingScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="19"/>
        <source>Submitting, please wait…</source>
        <translation>Submitting, please wait…</translation>
    </message>
</context>
<context>
    <name>TechnicianDevices</name>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="28"/>
        <source>resident ID card</source>
        <translation>resident ID card</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="29"/>
        <source>social-security card</source>
        <translation>social-security card</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="33"/>
        <source>electronic card code</source>
        <translation>electronic card code</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="34"/>
        <source>receipt QR code</source>
        <translation>receipt QR code</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="35"/>
        <source>a code the kiosk does not use</source>
        <translation>a code the kiosk does not use</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="42"/>
        <source>not a social-security card (another kind of card, or the wrong way round)</source>
        <translation>not a social-security card (another kind of card, or the wrong way round)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="44"/>
        <source>the card was taken out during the read</source>
        <translation>the card was taken out during the read</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="45"/>
        <source>the card did not answer in time</source>
        <translation>the card did not answer in time</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="46"/>
        <source>the card could not be read (dirty, damaged or badly placed)</source>
        <translation>the card could not be read (dirty, damaged or badly placed)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="48"/>
        <source>unreadable card: its data is not as expected</source>
        <translation>unreadable card: its data is not as expected</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="50"/>
        <source>unreadable card: it does not answer</source>
        <translation>unreadable card: it does not answer</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="51"/>
        <source>the reader or its service is not available</source>
        <translation>the reader or its service is not available</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="53"/>
        <source>the device is not started</source>
        <translation>the device is not started</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="54"/>
        <source>the code was too long and was dropped</source>
        <translation>the code was too long and was dropped</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="55"/>
        <source>the code stopped arriving before its end</source>
        <translation>the code stopped arriving before its end</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="56"/>
        <source>the code is no text in the configured encoding</source>
        <translation>the code is no text in the configured encoding</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="64"/>
        <source>%1: not there (%2)</source>
        <translation>%1: not there (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="67"/>
        <source>No card reader or scanner is there to test: check the cable and the settings ([reader], [scanner]).</source>
        <translation>No card reader or scanner is there to test: check the cable and the settings ([reader], [scanner]).</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="70"/>
        <source>%1: a card is in the reader</source>
        <translation>%1: a card is in the reader</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="72"/>
        <source> (ATR: %1)</source>
        <translation> (ATR: %1)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="75"/>
        <source>%1: read a %2. The reader works.</source>
        <translation>%1: read a %2. The reader works.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="78"/>
        <source>%1: read an %2 (%3 characters). The scanner works.</source>
        <translation>%1: read an %2 (%3 characters). The scanner works.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="82"/>
        <source>No card and no code within %1 seconds.</source>
        <translation>No card and no code within %1 seconds.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="84"/>
        <source>%1: fault: %2</source>
        <translation>%1: fault: %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="93"/>
        <source>Card readers and QR code scanner</source>
        <translation>Card readers and QR code scanner</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="99"/>
        <source>Test read</source>
        <translation>Test read</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="110"/>
        <source>Card reader %1 (%2): %3</source>
        <translation>Card reader %1 (%2): %3</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="112"/>
        <location filename="../../ui/technician_pages/devices.py" line="122"/>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="113"/>
        <location filename="../../ui/technician_pages/devices.py" line="123"/>
        <source>NOT THERE</source>
        <translation>NOT THERE</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="117"/>
        <source>No card reader is configured.</source>
        <translation>No card reader is configured.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="120"/>
        <source>QR code scanner %1: %2; %3 code(s) read since the start</source>
        <translation>QR code scanner %1: %2; %3 code(s) read since the start</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="128"/>
        <source>No QR code scanner is configured ([scanner] port).</source>
        <translation>No QR code scanner is configured ([scanner] port).</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="134"/>
        <source>Nothing read since the start.</source>
        <translation>Nothing read since the start.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="135"/>
        <source>Last: %1 at %2</source>
        <translation>Last: %1 at %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="141"/>
        <source>Test read: present a card or a code within %1 seconds…</source>
        <translation>Test read: present a card or a code within %1 seconds…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="155"/>
        <source>Test read finished.</source>
        <translation>Test read finished.</translation>
    </message>
</context>
<context>
    <name>TechnicianPages</name>
    <message>
        <location filename="../../ui/technician_pages/base.py" line="66"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/base.py" line="73"/>
        <source>The check failed: %1</source>
        <translation>The check failed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="24"/>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="30"/>
        <source>Send the quarantined records again</source>
        <translation>Send the quarantined records again</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="40"/>
        <source>Export waiting records to the stick</source>
        <translation>Export waiting records to the stick</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="42"/>
        <source>Read the acknowledgement back</source>
        <translation>Read the acknowledgement back</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="61"/>
        <source>Waiting: %1, being sent: %2, delivered: %3, quarantined: %4</source>
        <translation>Waiting: %1, being sent: %2, delivered: %3, quarantined: %4</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="71"/>
        <source>The oldest record has waited %1.</source>
        <translation>The oldest record has waited %1.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="76"/>
        <source>Quarantined (newest first):</source>
        <translation>Quarantined (newest first):</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="79"/>
        <source>Nothing is quarantined.</source>
        <translation>Nothing is quarantined.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="89"/>
        <source>Not done: %1</source>
        <translation>Not done: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="97"/>
        <source>%1 record(s) will be sent at the next sync.</source>
        <translation>%1 record(s) will be sent at the next sync.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="110"/>
        <source>%1 waiting record(s) written to the stick, signed and sealed. The stick is unmounted: take it to the platform.</source>
        <translation>%1 waiting record(s) written to the stick, signed and sealed. The stick is unmounted: take it to the platform.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="117"/>
        <source>Acknowledged by the platform: %1 record(s); refused (now quarantined): %2; already settled: %3. The stick is unmounted.</source>
        <translation>Acknowledged by the platform: %1 record(s); refused (now quarantined): %2; already settled: %3. The stick is unmounted.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="123"/>
        <source>%1 acknowledgement file(s) could not be used (not signed by this kiosk&apos;s platform): see the log.</source>
        <translation>%1 acknowledgement file(s) could not be used (not signed by this kiosk&apos;s platform): see the log.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="131"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="140"/>
        <source>Kiosk software %1 (Python %2) on %3</source>
        <translation>Kiosk software %1 (Python %2) on %3</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="144"/>
        <source>Running for %1; the machine for %2</source>
        <translation>Running for %1; the machine for %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="147"/>
        <source>Processor load (1, 5, 15 min): %1</source>
        <translation>Processor load (1, 5, 15 min): %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="150"/>
        <source>Memory: %1 free of %2</source>
        <translation>Memory: %1 free of %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="153"/>
        <source>Disk (data directory): %1 free of %2</source>
        <translation>Disk (data directory): %1 free of %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="156"/>
        <source>Chinese font: %1</source>
        <translation>Chinese font: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="158"/>
        <source>present</source>
        <translation>present</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="160"/>
        <source>MISSING: install fonts-noto-cjk</source>
        <translation>MISSING: install fonts-noto-cjk</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="162"/>
        <source>Voice: %1</source>
        <translation>Voice: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="163"/>
        <source>Settings:</source>
        <translation>Settings:</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="171"/>
        <source>Log (last lines)</source>
        <translation>Log (last lines)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="176"/>
        <source>Export the log and the diagnostic report to the stick</source>
        <translation>Export the log and the diagnostic report to the stick</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="182"/>
        <source>%1 log line(s) (redacted) and the diagnostic report written to the stick. The stick is unmounted.</source>
        <translation>%1 log line(s) (redacted) and the diagnostic report written to the stick. The stick is unmounted.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="196"/>
        <source>The log is empty.</source>
        <translation>The log is empty.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="210"/>
        <source>Network and platform</source>
        <translation>Network and platform</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="218"/>
        <source>never since the kiosk started</source>
        <translation>never since the kiosk started</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="220"/>
        <source>Platform: %1</source>
        <translation>Platform: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="224"/>
        <source>Answer time: %1 ms</source>
        <translation>Answer time: %1 ms</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="227"/>
        <source>TLS certificate valid for %1 more day(s)</source>
        <translation>TLS certificate valid for %1 more day(s)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="230"/>
        <source>Clock difference to the platform: %1 s</source>
        <translation>Clock difference to the platform: %1 s</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="233"/>
        <source>Last upload that went through: %1</source>
        <translation>Last upload that went through: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="237"/>
        <source>Last error (%1 in a row): %2</source>
        <translation>Last error (%1 in a row): %2</translation>
    </message>
</context>
<context>
    <name>TechnicianPanel</name>
    <message>
        <location filename="../../ui/technician.py" line="69"/>
        <source>Diagnostics</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="82"/>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="84"/>
        <source>Print a test page</source>
        <translation>Print a test page</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="87"/>
        <source>Reprint the last receipt</source>
        <translation>Reprint the last receipt</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="89"/>
        <source>New paper roll fitted</source>
        <translation>New paper roll fitted</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="91"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="92"/>
        <source>Quit the kiosk program</source>
        <translation>Quit the kiosk program</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="114"/>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="114"/>
        <source>Readers</source>
        <translation>Readers</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="115"/>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="115"/>
        <source>Printers</source>
        <translation>Printers</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="116"/>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="117"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="117"/>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="171"/>
        <source>%1 is signed in as hall staff; the technician panel needs a technician.</source>
        <translation>%1 is signed in as hall staff; the technician panel needs a technician.</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="175"/>
        <source>Signed in: %1 (%2)</source>
        <translation>Signed in: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="191"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="197"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="210"/>
        <source>New paper roll recorded: about %1 receipts left.</source>
        <translation>New paper roll recorded: about %1 receipts left.</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="215"/>
        <source>The new paper roll was not recorded: %1</source>
        <translation>The new paper roll was not recorded: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="219"/>
        <source>The print job failed: %1</source>
        <translation>The print job failed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="223"/>
        <source>Printed.</source>
        <translation>Printed.</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="223"/>
        <source>Not printed: %1</source>
        <translation>Not printed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="233"/>
        <source>The check failed: %1</source>
        <translation>The check failed: %1</translation>
    </message>
</context>
<context>
    <name>TechnicianPrinters</name>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="24"/>
        <source>cannot report its status (file or spooler); prints without checking</source>
        <translation>cannot report its status (file or spooler); prints without checking</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="27"/>
        <location filename="../../ui/technician_pages/printers.py" line="41"/>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="28"/>
        <source>ready, but the paper roll is nearly used up</source>
        <translation>ready, but the paper roll is nearly used up</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="30"/>
        <source>OUT OF PAPER: fit a new roll</source>
        <translation>OUT OF PAPER: fit a new roll</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="31"/>
        <source>the cover is open: close it</source>
        <translation>the cover is open: close it</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="32"/>
        <location filename="../../ui/technician_pages/printers.py" line="48"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="33"/>
        <source>in error (cutter or mechanism)</source>
        <translation>in error (cutter or mechanism)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="34"/>
        <source>does not answer (not connected or switched off)</source>
        <translation>does not answer (not connected or switched off)</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="42"/>
        <source>printing</source>
        <translation>printing</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="43"/>
        <source>OUT OF PAPER: load A4 paper</source>
        <translation>OUT OF PAPER: load A4 paper</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="44"/>
        <source>PAPER JAM: open the printer and take out the sheet</source>
        <translation>PAPER JAM: open the printer and take out the sheet</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="46"/>
        <source>a cover or door is open</source>
        <translation>a cover or door is open</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="47"/>
        <source>out of toner or ink</source>
        <translation>out of toner or ink</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="49"/>
        <source>no such queue in CUPS</source>
        <translation>no such queue in CUPS</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="50"/>
        <source>in error</source>
        <translation>in error</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="56"/>
        <source>Printers</source>
        <translation>Printers</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="61"/>
        <source>Receipt printer: test page</source>
        <translation>Receipt printer: test page</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="64"/>
        <source>A4 printer: test page</source>
        <translation>A4 printer: test page</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="74"/>
        <source>Receipt printer (%1): %2</source>
        <translation>Receipt printer (%1): %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="80"/>
        <source>The paper counters cannot be read: %1</source>
        <translation>The paper counters cannot be read: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="83"/>
        <source>Printed: %1 receipt(s), %2 m of paper; no roll change recorded yet, so nothing is predicted (press “New paper roll fitted” on the overview when you fit one).</source>
        <translation>Printed: %1 receipt(s), %2 m of paper; no roll change recorded yet, so nothing is predicted (press “New paper roll fitted” on the overview when you fit one).</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="89"/>
        <source>Since the roll was fitted (%1, by %2): %3 receipt(s), %4 m of paper.</source>
        <translation>Since the roll was fitted (%1, by %2): %3 receipt(s), %4 m of paper.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="93"/>
        <source>Left: about %1 receipt(s) (%2 m, %3% of the roll).</source>
        <translation>Left: about %1 receipt(s) (%2 m, %3% of the roll).</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="98"/>
        <source>The roll is nearly used up: bring a new one.</source>
        <translation>The roll is nearly used up: bring a new one.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="102"/>
        <source>A4 printer: none configured ([a4_printer] queue); official proofs cannot print.</source>
        <translation>A4 printer: none configured ([a4_printer] queue); official proofs cannot print.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="105"/>
        <source>A4 printer (%1): %2</source>
        <translation>A4 printer (%1): %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="119"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="122"/>
        <source>Printed.</source>
        <translation>Printed.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="123"/>
        <source>Not printed: %1</source>
        <translation>Not printed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="128"/>
        <source>The print job failed: %1</source>
        <translation>The print job failed: %1</translation>
    </message>
</context>
<context>
    <name>TechnicianUsb</name>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="26"/>
        <source>The stick is not plugged in any more: plug it in and look for sticks again.</source>
        <translation>The stick is not plugged in any more: plug it in and look for sticks again.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="28"/>
        <source>The stick could not be mounted: %1</source>
        <translation>The stick could not be mounted: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="29"/>
        <source>The stick could not be unmounted: %1. Wait a moment before taking it out.</source>
        <translation>The stick could not be unmounted: %1. Wait a moment before taking it out.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="31"/>
        <source>The stick holds no filesystem the kiosk can read (format it as FAT32 or exFAT).</source>
        <translation>The stick holds no filesystem the kiosk can read (format it as FAT32 or exFAT).</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="33"/>
        <source>The kiosk cannot reach USB sticks: %1</source>
        <translation>The kiosk cannot reach USB sticks: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="34"/>
        <source>The stick is read-only (is its write protection on?). Nothing was written.</source>
        <translation>The stick is read-only (is its write protection on?). Nothing was written.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="36"/>
        <source>The stick is full. Free some space on it and try again.</source>
        <translation>The stick is full. Free some space on it and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="38"/>
        <source>The kiosk may not write on this stick (its files belong to another user): %1</source>
        <translation>The kiosk may not write on this stick (its files belong to another user): %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="40"/>
        <source>This is not a kiosk-transfer stick: it holds no acknowledgement folder for this kiosk.</source>
        <translation>This is not a kiosk-transfer stick: it holds no acknowledgement folder for this kiosk.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="42"/>
        <source>This kiosk is not enrolled with the platform: %1</source>
        <translation>This kiosk is not enrolled with the platform: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="44"/>
        <location filename="../../ui/technician_pages/usb.py" line="117"/>
        <source>The stick could not be used: %1</source>
        <translation>The stick could not be used: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="58"/>
        <source>Look for USB sticks</source>
        <translation>Look for USB sticks</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="70"/>
        <source>Looking for USB sticks…</source>
        <translation>Looking for USB sticks…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="73"/>
        <source>The USB sticks could not be listed: %1</source>
        <translation>The USB sticks could not be listed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="85"/>
        <source>No USB stick found: plug one in and look again.</source>
        <translation>No USB stick found: plug one in and look again.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="90"/>
        <source>Tap the stick to use.</source>
        <translation>Tap the stick to use.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="96"/>
        <source>Stick chosen: %1 (%2). It is mounted only for the job, then unmounted.</source>
        <translation>Stick chosen: %1 (%2). It is mounted only for the job, then unmounted.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="104"/>
        <source>Choose a USB stick first: look for USB sticks, then tap one.</source>
        <translation>Choose a USB stick first: look for USB sticks, then tap one.</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="107"/>
        <source>Working on the stick… do not take it out.</source>
        <translation>Working on the stick… do not take it out.</translation>
    </message>
</context>
<context>
    <name>TextField</name>
    <message>
        <location filename="../../ui/form_fields/text.py" line="45"/>
        <source>Erase</source>
        <translation>Erase</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="46"/>
        <source>Delete the last character</source>
        <translation>Delete the last character</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="49"/>
        <source>Earlier candidates</source>
        <translation>Earlier candidates</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="51"/>
        <source>More candidates</source>
        <translation>More candidates</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="153"/>
        <source>Type pinyin, tap a word</source>
        <translation>Type pinyin, tap a word</translation>
    </message>
</context>
<context>
    <name>TileList</name>
    <message>
        <location filename="../../ui/tile_list.py" line="226"/>
        <source>Page %1 of %2</source>
        <translation>Page %1 of %2</translation>
    </message>
</context>
<context>
    <name>TilePager</name>
    <message>
        <location filename="../../ui/tile_pager.py" line="57"/>
        <source>Previous</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../../ui/tile_pager.py" line="60"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/tile_pager.py" line="201"/>
        <source>Page %1 of %2</source>
        <translation>Page %1 of %2</translation>
    </message>
</context>
<context>
    <name>TrackScreen</name>
    <message>
        <location filename="../../ui/screens/track.py" line="31"/>
        <source>Check the progress of an application</source>
        <translation>Check the progress of an application</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="61"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="62"/>
        <source>Change the number</source>
        <translation>Change the number</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="89"/>
        <source>Type the digits of the tracking number on your receipt (date, number and the last digit).</source>
        <translation>Type the digits of the tracking number on your receipt (date, number and the last digit).</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="64"/>
        <source>Look up</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="42"/>
        <source>Or hold the QR code on your receipt under the scanner.</source>
        <translation>Or hold the QR code on your receipt under the scanner.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="48"/>
        <source>Demo: scan the last receipt printed</source>
        <translation>Demo: scan the last receipt printed</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="100"/>
        <source>Now type the query code printed under the tracking number on your receipt.</source>
        <translation>Now type the query code printed under the tracking number on your receipt.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="123"/>
        <location filename="../../ui/screens/track.py" line="130"/>
        <source>This number is not complete or has a typing mistake. Please check it against your receipt.</source>
        <translation>This number is not complete or has a typing mistake. Please check it against your receipt.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="133"/>
        <source>The query code is not complete. It has 8 digits and is printed under the tracking number.</source>
        <translation>The query code is not complete. It has 8 digits and is printed under the tracking number.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="137"/>
        <source>No application matches this number and query code. Please check both against your receipt, or ask at the counter.</source>
        <translation>No application matches this number and query code. Please check both against your receipt, or ask at the counter.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="140"/>
        <source>%1: %2 (submitted %3)</source>
        <translation>%1: %2 (submitted %3)</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="160"/>
        <source>accepted, waiting to be sent to the office</source>
        <translation>accepted, waiting to be sent to the office</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="161"/>
        <source>accepted by the office</source>
        <translation>accepted by the office</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="162"/>
        <source>being processed</source>
        <translation>being processed</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="163"/>
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="164"/>
        <source>not approved; please ask at the counter</source>
        <translation>not approved; please ask at the counter</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="165"/>
        <source>ready for pickup</source>
        <translation>ready for pickup</translation>
    </message>
</context>
<context>
    <name>YesNoField</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="101"/>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="102"/>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
</TS>
